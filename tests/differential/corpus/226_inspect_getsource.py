import inspect
def greet(name: str, punctuation: str = "!") -> str:
    """Return a greeting."""
    return f"Hello, {name}{punctuation}"
class Shape:
    def area(self):
        return 0
print(inspect.getsource(greet))
print(inspect.getsource(Shape.area))
print(inspect.signature(greet))
print(inspect.getdoc(greet), inspect.getsourcelines(greet)[1])
print(inspect.getfile(greet), inspect.getmodule(greet).__name__)
print([name for name, _ in inspect.getmembers(Shape, inspect.isfunction)])
print(inspect.currentframe().f_code.co_filename, inspect.currentframe().f_lineno)
