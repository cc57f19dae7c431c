from functools import lru_cache
calls = 0
@lru_cache(maxsize=None)
def fib(n):
    global calls
    calls += 1
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), calls)
print(fib.cache_info())
memo = {}
def fib2(n):
    if n in memo:
        return memo[n]
    memo[n] = n if n < 2 else fib2(n - 1) + fib2(n - 2)
    return memo[n]
print(fib2(300))
