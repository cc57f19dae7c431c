def describe(cmd):
    match cmd.split():
        case ["go", direction]:
            return f"going {direction}"
        case ["take", *items] if items:
            return f"taking {', '.join(items)}"
        case ["quit" | "exit"]:
            return "bye"
        case []:
            return "nothing"
        case _:
            return f"unknown: {cmd!r}"
for c in ["go north", "take lamp key", "quit", "", "dance wildly", "take"]:
    print(describe(c))
def shape(obj):
    match obj:
        case {"type": "circle", "r": r}:
            return f"circle area {3.14159 * r * r:.2f}"
        case {"type": "rect", "w": w, "h": h}:
            return f"rect area {w * h}"
        case (x, y):
            return f"point {x},{y}"
        case int(n) | float(n):
            return f"number {n}"
    return "?"
print([shape(o) for o in [{"type": "circle", "r": 2}, {"type": "rect", "w": 3, "h": 4}, (1, 2), 7, 2.5, "s"]])
