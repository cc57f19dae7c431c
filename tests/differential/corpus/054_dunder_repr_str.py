class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return f"Point({self.x!r}, {self.y!r})"
    def __str__(self):
        return f"({self.x}, {self.y})"
p = Point(1, 2.5)
print(p)
print(repr(p), str(p), [p], {"p": p})
print(f"{p} {p!r}")
class Money:
    def __init__(self, cents):
        self.cents = cents
    def __format__(self, spec):
        if spec == "usd":
            return f"${self.cents / 100:,.2f}"
        return str(self.cents)
print(f"{Money(123456):usd} {Money(5)}")
