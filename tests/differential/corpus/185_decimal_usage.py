from decimal import Decimal as D, getcontext, ROUND_HALF_UP, localcontext
print(D("0.1") + D("0.2"), 0.1 + 0.2)
print(D("1.10") * 3, D(1) / D(7))
getcontext().prec = 50
print(D(2).sqrt())
getcontext().prec = 28
price = D("19.995")
print(price.quantize(D("0.01")), price.quantize(D("0.01"), rounding=ROUND_HALF_UP))
with localcontext() as ctx:
    ctx.prec = 5
    print(D(1) / D(3))
print(D("3.14159").as_tuple(), D("1e3").normalize(), D("-0"), D("NaN").is_nan())
total = sum(D(p) for p in ["9.99", "0.01", "100.00"])
print(f"{total:.2f}", total)
