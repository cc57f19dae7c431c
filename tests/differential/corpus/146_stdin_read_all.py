import sys
data = sys.stdin.read()
print(repr(data))
words = data.split()
print(len(words), sorted(words)[:5])
