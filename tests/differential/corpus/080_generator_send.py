def running_avg():
    total, count, avg = 0, 0, None
    while True:
        value = yield avg
        total += value
        count += 1
        avg = total / count
g = running_avg()
next(g)
for v in [10, 20, 30, 40]:
    print(g.send(v))
def closer():
    try:
        yield 1
        yield 2
    finally:
        print("generator cleaned up")
c = closer()
print(next(c))
c.close()
def thrower():
    while True:
        try:
            yield
        except ValueError as e:
            print("handled inside generator:", e)
t = thrower(); next(t); t.throw(ValueError("oops"))
