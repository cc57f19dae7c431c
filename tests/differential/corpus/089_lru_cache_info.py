from functools import lru_cache
@lru_cache(maxsize=3)
def slow_square(n):
    print(f"  computing {n}")
    return n * n
for n in [1, 2, 1, 3, 4, 1, 2]:
    print(n, slow_square(n))
print(slow_square.cache_info())
slow_square.cache_clear()
print(slow_square.cache_info())
@lru_cache
def paths(r, c):
    return 1 if r == 0 or c == 0 else paths(r - 1, c) + paths(r, c - 1)
print(paths(16, 16))
