import traceback
def fail(n):
    if n == 0:
        raise ValueError("reached zero")
    fail(n - 1)
try:
    fail(3)
except ValueError as e:
    lines = traceback.format_exception(e)
    print(len(lines))
    print("".join(lines), end="")
    frames = traceback.extract_tb(e.__traceback__)
    print([(f.name, f.lineno) for f in frames])
    print(traceback.format_exception_only(type(e), e))
stack = traceback.extract_stack()
print([f.name for f in stack])
