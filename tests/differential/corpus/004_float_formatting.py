x = 0.1 + 0.2
print(x, x == 0.3, abs(x - 0.3) < 1e-9)
print(repr(1 / 3), str(2 / 3))
print(f"{x:.2f} {x:10.4f}| {x:<10.3f}| {x:e} {x:g}")
print(f"{1234567.891:,.2f} {0.256:.1%} {42:08.3f}")
print(1e16, 1e-5, 123456789012345678.0, float("inf"), -float("inf"), float("nan"))
print(3.0, 3.0 * 2, 1.5e300 * 1e10, 2 ** 0.5)
print((0.1).as_integer_ratio(), (2.5).is_integer(), float.fromhex("0x1.8p1"))
print(format(1 / 7, ".15g"), round(1 / 7, 4))
