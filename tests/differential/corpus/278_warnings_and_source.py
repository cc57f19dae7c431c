# warnings, linecache and inspect read the program from its file, as for
# `python3 main.py`.
import warnings, linecache, inspect, sys
warnings.warn("careful")
class Point:
    """A point."""
    x = 1
print(inspect.getsource(Point), end="")
print(linecache.getline(__file__, 2), end="")
print(open(__file__).read().count("\n"))
def f():
    warnings.warn("in f", DeprecationWarning, stacklevel=2)
warnings.simplefilter("always")
f()
