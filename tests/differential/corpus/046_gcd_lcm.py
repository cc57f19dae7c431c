import math
def gcd(a, b):
    while b:
        a, b = b, a % b
    return a
def lcm(a, b):
    return a * b // gcd(a, b)
print(gcd(48, 18), math.gcd(48, 18), lcm(4, 6), math.lcm(4, 6, 10))
from functools import reduce
print(reduce(lcm, range(1, 21)))
def ext_gcd(a, b):
    if b == 0:
        return a, 1, 0
    g, x, y = ext_gcd(b, a % b)
    return g, y, x - (a // b) * y
print(ext_gcd(240, 46), pow(3, -1, 11))
