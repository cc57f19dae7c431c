import sys, gc
a = []
print(sys.getrefcount(a))
b = a
print(sys.getrefcount(a))
print(sys.getsizeof([]), sys.getsizeof(0), sys.getsizeof("abc"), sys.getsizeof({}))
class Node:
    def __init__(self):
        self.other = None
x, y = Node(), Node()
x.other, y.other = y, x
del x, y
print("unreachable objects collected:", gc.collect())
print(gc.isenabled(), gc.get_threshold())
