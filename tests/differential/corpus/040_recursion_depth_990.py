import sys
def depth(n):
    if n == 1:
        return 1
    return 1 + depth(n - 1)
print(sys.getrecursionlimit(), depth(990))
def linked(n):
    return None if n == 0 else (n, linked(n - 1))
node, length = linked(980), 0
while node:
    length += 1
    node = node[1]
print(length)
