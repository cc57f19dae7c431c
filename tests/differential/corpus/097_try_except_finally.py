def divide(a, b):
    try:
        result = a / b
    except ZeroDivisionError as e:
        print("error:", e)
        return None
    except TypeError as e:
        print("type error:", e)
        return None
    else:
        print("no error")
        return result
    finally:
        print("finally for", a, b)
print(divide(6, 3))
print(divide(1, 0))
print(divide("a", 1))
def f():
    try:
        return "from try"
    finally:
        print("finally runs before return")
print(f())
for v in ["1", "x", None]:
    try:
        print(int(v))
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
