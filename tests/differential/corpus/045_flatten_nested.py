def flatten(x):
    for item in x:
        if isinstance(item, (list, tuple)):
            yield from flatten(item)
        else:
            yield item
data = [1, [2, [3, [4, [5]]]], (6, 7), [], [[8], 9]]
print(list(flatten(data)))
def depth(x):
    return 1 + max((depth(i) for i in x if isinstance(i, list)), default=0) if isinstance(x, list) else 0
print(depth(data))
