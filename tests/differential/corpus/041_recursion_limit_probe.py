import sys
def dive(n):
    try:
        return dive(n + 1)
    except RecursionError:
        return n
print("recursion limit:", sys.getrecursionlimit())
print("deepest call reached:", dive(1))
