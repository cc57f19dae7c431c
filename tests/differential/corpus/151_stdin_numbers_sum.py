import sys
nums = [int(tok) for tok in sys.stdin.read().split()]
print("count", len(nums))
print("sum", sum(nums))
print("max", max(nums), "min", min(nums))
print("sorted", sorted(nums))
