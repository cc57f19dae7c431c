import sys
def depth_sum(n):
    return 0 if n == 0 else n + depth_sum(n - 1)
print(sys.getrecursionlimit())
print(depth_sum(500))
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(len(str(fact(600))))
