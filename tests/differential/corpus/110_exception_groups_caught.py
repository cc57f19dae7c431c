def tasks():
    errors = []
    for i, v in enumerate(["1", "x", "3", None]):
        try:
            int(v)
        except (ValueError, TypeError) as e:
            errors.append(e)
    raise ExceptionGroup("some tasks failed", errors)
try:
    tasks()
except* ValueError as eg:
    print("value errors:", [str(e) for e in eg.exceptions])
except* TypeError as eg:
    print("type errors:", len(eg.exceptions))
eg = ExceptionGroup("g", [KeyError("a"), ValueError("b"), KeyError("c")])
match, rest = eg.split(KeyError)
print(repr(match), repr(rest))
