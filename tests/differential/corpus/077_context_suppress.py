from contextlib import suppress, redirect_stdout, nullcontext
import io
with suppress(FileNotFoundError):
    open("does-not-exist.txt")
    print("not reached")
print("after suppress")
buf = io.StringIO()
with redirect_stdout(buf):
    print("captured line")
print("buffer had:", repr(buf.getvalue()))
class Swallow:
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        print("swallowing", exc[0].__name__)
        return True
with Swallow():
    raise KeyError("k")
with nullcontext(5) as n:
    print("nullcontext", n)
