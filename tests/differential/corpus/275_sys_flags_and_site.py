# What `python3 main.py` starts with: site imported, its customisation run,
# flags as for a plain script.
import sys
print(sys.flags)
print("site" in sys.modules, "sitecustomize" in sys.modules)
import sitecustomize
print(sorted(n for n in vars(sitecustomize) if not n.startswith("__")))
print(sys.argv, sys.orig_argv[1:], __name__, __spec__)
print(type(__loader__).__name__, __loader__.name, __loader__.path)
print(callable(exit), repr(quit), type(help).__module__)
