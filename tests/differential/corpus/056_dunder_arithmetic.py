import math
class Vector:
    def __init__(self, *c):
        self.c = tuple(c)
    def __add__(self, o):
        return Vector(*(a + b for a, b in zip(self.c, o.c)))
    def __sub__(self, o):
        return Vector(*(a - b for a, b in zip(self.c, o.c)))
    def __mul__(self, k):
        return Vector(*(a * k for a in self.c))
    __rmul__ = __mul__
    def __matmul__(self, o):
        return sum(a * b for a, b in zip(self.c, o.c))
    def __neg__(self):
        return self * -1
    def __abs__(self):
        return math.hypot(*self.c)
    def __bool__(self):
        return any(self.c)
    def __eq__(self, o):
        return self.c == o.c
    def __repr__(self):
        return f"Vector{self.c}"
v, w = Vector(1, 2), Vector(3, 4)
print(v + w, v - w, v * 3, 2 * v, v @ w, -v, abs(w), bool(Vector(0, 0)), v == Vector(1, 2))
v += w
print(v)
