import math
print(math.pi, math.e, math.tau, math.inf, math.isnan(math.nan))
print(math.sqrt(2), math.cbrt(27), math.pow(2, 0.5), math.exp(1), math.log(100, 10), math.log2(1024), math.log10(0.001))
print(math.floor(-2.5), math.ceil(-2.5), math.trunc(-2.5), math.fabs(-3))
print(math.sin(math.pi / 6), math.cos(0), round(math.tan(math.pi / 4), 12), math.degrees(math.pi), math.radians(180))
print(math.hypot(3, 4), math.dist((0, 0), (1, 1)), math.fsum([0.1] * 10), math.prod([1, 2, 3, 4]))
print(math.isclose(0.1 + 0.2, 0.3), math.copysign(3, -0.0), math.factorial(20), math.gcd(12, 18, 27))
print(math.atan2(1, 1), math.asin(1), math.modf(3.75), math.frexp(8.0))
try:
    math.sqrt(-1)
except ValueError as e:
    print("ValueError:", e)
