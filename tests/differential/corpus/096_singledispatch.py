from functools import singledispatch
@singledispatch
def describe(x):
    return f"object of type {type(x).__name__}"
@describe.register
def _(x: int):
    return f"int {x}"
@describe.register
def _(x: list):
    return f"list of {len(x)}: " + ", ".join(describe(i) for i in x)
@describe.register(str)
def _(x):
    return f"str {x!r}"
print(describe(5))
print(describe("hi"))
print(describe([1, "a", 2.5]))
print(describe(True))
