def make_counter(start=0):
    count = start
    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc
c1, c2 = make_counter(), make_counter(100)
print(c1(), c1(), c2(), c1(5), c2())
def make_multipliers():
    return [lambda x, i=i: x * i for i in range(4)]
print([m(10) for m in make_multipliers()])
def late():
    return [lambda x: x * i for i in range(4)]
print([m(10) for m in late()])
print(c1.__code__.co_freevars, c1.__closure__[0].cell_contents)
