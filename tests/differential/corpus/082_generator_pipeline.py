lines = ["10,apple", "x,bad", "5,pear", "", "7,fig"]
def parse(lines):
    for ln in lines:
        if not ln:
            continue
        n, name = ln.split(",")
        if n.isdigit():
            yield int(n), name
def expensive(items, limit):
    return (it for it in items if it[0] > limit)
print(list(expensive(parse(lines), 6)))
print(sum(x * x for x in range(1000)))
print(max((len(w), w) for w in "a bb ccc dd".split()))
