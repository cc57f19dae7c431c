name, age, pi = "Ada", 36, 3.14159265
print(f"{name} is {age} years old")
print(f"{name!r} {name!s} {name!a}")
print(f"{pi:.3f} {pi:10.2f}| {age:05d} {age:x} {age:o} {age:b} {age:#x}")
print(f"{name:>10}|{name:<10}|{name:^10}|{name:*^11}")
print(f"{age=} {pi=:.2f} {name.upper()=}")
width, prec = 12, 4
print(f"{pi:{width}.{prec}f}|")
items = {"apple": 3, "kiwi": 12}
for k, v in items.items():
    print(f"{k:<8}{v:>4}")
print(f"{'nested ' + str(1 + 1)}", f"{{literal braces}}", f"{3 * 7}")
print(f"{1_000_000:,} {1_000_000:_} {0.5:%}")
print(f"café {'☕'} {len('naïve')}")
