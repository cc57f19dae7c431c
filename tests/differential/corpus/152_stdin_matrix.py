import sys
first = sys.stdin.readline()
n, m = map(int, first.split())
grid = [list(map(int, sys.stdin.readline().split())) for _ in range(n)]
rest = sys.stdin.readlines()
print(n, m)
print("row sums", [sum(r) for r in grid])
print("col sums", [sum(c) for c in zip(*grid)])
print("remaining", rest)
