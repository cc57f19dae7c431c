from contextlib import ExitStack
class R:
    def __init__(self, n):
        self.n = n
    def __enter__(self):
        print("enter", self.n)
        return self
    def __exit__(self, *a):
        print("exit", self.n)
with ExitStack() as stack:
    rs = [stack.enter_context(R(i)) for i in range(3)]
    stack.callback(print, "callback ran")
    print("body with", len(rs))
