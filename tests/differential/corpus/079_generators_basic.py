def squares(n):
    for i in range(n):
        print(f"  producing {i}")
        yield i * i
g = squares(3)
print(type(g).__name__)
for v in g:
    print("got", v)
def take(gen, n):
    return [x for _, x in zip(range(n), gen)]
def naturals():
    n = 1
    while True:
        yield n
        n += 1
print(take(naturals(), 5))
gen = (x * 2 for x in range(3))
print(next(gen), list(gen), list(gen))
