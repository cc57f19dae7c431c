def count_down(n):
    if n == 0:
        return "liftoff"
    return count_down(n - 1)
print(count_down(900))
def fib_linear(n, a=0, b=1):
    return a if n == 0 else fib_linear(n - 1, b, a + b)
print(fib_linear(850) % 1000000007)
