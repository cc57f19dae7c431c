import sys
for line in sys.stdin:
    s = line.rstrip("\n")
    print(s, len(s), s[::-1], s.upper())
