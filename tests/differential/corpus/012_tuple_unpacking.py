point = (3, 4)
x, y = point
print(x, y)
first, *middle, last = [1, 2, 3, 4, 5]
print(first, middle, last)
a, b = 1, 2
a, b = b, a
print(a, b)
(p, q), r = (1, 2), 3
print(p, q, r)
t = (1,)
print(t, type(t).__name__, len(()), (1, 2) + (3,), (1, 2) * 2)
def minmax(xs):
    return min(xs), max(xs)
lo, hi = minmax([4, 9, 2])
print(lo, hi)
for i, (name, score) in enumerate([("a", 1), ("b", 2)]):
    print(i, name, score)
print(*[1, 2, 3], sep=", ")
d = {**{"a": 1}, "b": 2}
print(d)
