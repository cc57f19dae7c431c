import functools
def repeat(times):
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return [fn(*args, **kwargs) for _ in range(times)]
        return wrapper
    return decorate
@repeat(3)
def hello(who="you"):
    """Say hello."""
    return f"hi {who}"
print(hello(), hello("bob"))
print(hello.__name__, hello.__doc__, hello.__wrapped__("x"))
def retry(attempts):
    def deco(fn):
        @functools.wraps(fn)
        def inner():
            for n in range(1, attempts + 1):
                try:
                    return fn(n)
                except ConnectionError as e:
                    print(f"attempt {n} failed: {e}")
            raise RuntimeError("gave up")
        return inner
    return deco
@retry(4)
def flaky(n):
    if n < 3:
        raise ConnectionError("timeout")
    return f"ok on attempt {n}"
print(flaky())
