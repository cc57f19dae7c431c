a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(a.issubset({1, 2, 3, 4, 5}), {3}.issubset(a), a.isdisjoint({9}))
words = ["pear", "apple", "pear", "fig", "apple"]
print(sorted(set(words)), len(set(words)))
s = set()
s.add("x"); s.add("y"); s.discard("z"); s.add("x")
print(sorted(s))
fs = frozenset([3, 1, 2])
print(sorted(fs), 2 in fs)
print(sorted({c for c in "mississippi"}))
