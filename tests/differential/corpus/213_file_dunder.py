import os
print(__file__)
print(os.path.basename(__file__))
print(os.path.isabs(__file__), os.path.exists(__file__))
with open(__file__) as f:
    lines = f.read().splitlines()
print(len(lines), lines[0])
print(__doc__, __package__, __spec__)
print(type(__builtins__).__name__ if not isinstance(__builtins__, dict) else "dict")
