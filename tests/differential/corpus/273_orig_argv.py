import sys
# What the interpreter was started with, as `python3 main.py` shows it.
print(sys.orig_argv)
print(sys.argv)
