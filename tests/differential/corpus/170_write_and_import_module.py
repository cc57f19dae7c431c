import importlib, sys
with open("mathutils.py", "w") as f:
    f.write("def double(x):\n    return 2 * x\nNAME = 'mathutils'\n")
importlib.invalidate_caches()
import mathutils
print(mathutils.double(21), mathutils.NAME, mathutils.__file__)
print(sys.path[0])
