def inner():
    yield 1
    yield 2
    return "inner done"
def outer():
    result = yield from inner()
    print("inner returned", result)
    yield 3
print(list(outer()))
def tree(n, depth=0):
    yield "  " * depth + str(n)
    for child in range(n - 1, 0, -2):
        yield from tree(child, depth + 1)
print("\n".join(tree(5)))
