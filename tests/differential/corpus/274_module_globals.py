# The names a script's module starts with, in order, and what they hold.
names = list(globals())
print(names)
print(__name__, __doc__, __package__, __spec__, __cached__)
print(type(__loader__).__name__, __loader__.name, __loader__.path)
print(type(__builtins__).__name__)
