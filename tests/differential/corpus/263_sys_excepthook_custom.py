import sys
def friendly(exc_type, exc, tb):
    print(f"Oops! {exc_type.__name__}: {exc}", file=sys.stderr)
    print("(a custom sys.excepthook printed this)", file=sys.stderr)
sys.excepthook = friendly
print("dividing")
print(10 / 0)
