import sys
print("line one")
print("line two", file=sys.stderr)
sys.stdout.write("partial line without newline")
items = [1, 2, 3]
print(items[3])
