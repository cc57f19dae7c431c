REGISTRY = {}
def register(name):
    def deco(cls):
        REGISTRY[name] = cls
        cls.registered_as = name
        return cls
    return deco
@register("csv")
class CsvParser:
    def parse(self, s):
        return s.split(",")
@register("ws")
class WsParser:
    def parse(self, s):
        return s.split()
for key in sorted(REGISTRY):
    p = REGISTRY[key]()
    print(key, type(p).__name__, p.parse("a,b c,d"), p.registered_as)
class CountCalls:
    def __init__(self, fn):
        self.fn, self.calls = fn, 0
    def __call__(self, *a):
        self.calls += 1
        return self.fn(*a)
@CountCalls
def add(a, b):
    return a + b
print(add(1, 2), add(3, 4), add.calls)
