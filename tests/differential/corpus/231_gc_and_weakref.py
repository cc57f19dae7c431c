import gc, weakref
class Obj:
    pass
o = Obj()
r = weakref.ref(o)
print(r() is o)
del o
gc.collect()
print(r())
cache = weakref.WeakValueDictionary()
x = Obj()
cache["x"] = x
print(len(cache))
del x
print(len(cache))
