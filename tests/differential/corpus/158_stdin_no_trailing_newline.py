import sys
text = sys.stdin.read()
print(repr(text), text.endswith("\n"))
a = "last line without newline"
print(len(text.splitlines()))
