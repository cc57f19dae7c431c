class Dog:
    tricks = []
    kind = "canine"
    def __init__(self, name):
        self.name = name
        self.own_tricks = []
    def add_trick(self, t):
        self.tricks.append(t)
        self.own_tricks.append(t)
a, b = Dog("a"), Dog("b")
a.add_trick("roll")
b.add_trick("sit")
print(a.tricks, b.own_tricks, a.own_tricks)
a.kind = "wolf"
print(a.kind, b.kind, Dog.kind)
def append_to(x, acc=[]):
    acc.append(x)
    return acc
print(append_to(1), append_to(2))
