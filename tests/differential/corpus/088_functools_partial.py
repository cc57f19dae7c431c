from functools import partial, wraps, cmp_to_key, cache
def power(base, exp):
    return base ** exp
square = partial(power, exp=2)
two_to = partial(power, 2)
print(square(7), two_to(10), square.keywords)
int2 = partial(int, base=2)
print(int2("101101"))
def compare(a, b):
    return (a > b) - (a < b) if len(a) == len(b) else len(a) - len(b)
print(sorted(["ccc", "b", "aa", "a", "bb"], key=cmp_to_key(compare)))
@cache
def tri(n):
    return n + tri(n - 1) if n else 0
print(tri(300))
