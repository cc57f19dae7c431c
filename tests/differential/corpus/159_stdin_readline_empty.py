import sys
print(repr(sys.stdin.readline()))
print(repr(sys.stdin.read()))
print(sys.stdin.isatty(), sys.stdout.isatty())
