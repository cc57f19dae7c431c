from contextlib import contextmanager
@contextmanager
def tag(name):
    print(f"<{name}>")
    try:
        yield name.upper()
    finally:
        print(f"</{name}>")
with tag("html"):
    with tag("body") as t:
        print("content", t)
@contextmanager
def indent_level(level):
    yield "  " * level
with indent_level(2) as pad:
    print(pad + "indented")
try:
    with tag("p"):
        1 / 0
except ZeroDivisionError:
    print("division failed inside p")
