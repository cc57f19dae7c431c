import itertools as it
print(list(it.islice(it.count(10, 5), 4)))
print(list(it.islice(it.cycle("RGB"), 7)))
print(list(it.repeat("x", 3)))
a, b = it.tee(range(4))
print(list(a), list(b))
print(list(it.islice(range(100), 10, 20, 3)))
