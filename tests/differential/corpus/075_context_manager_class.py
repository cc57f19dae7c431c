class Resource:
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print(f"open {self.name}")
        return self
    def __exit__(self, exc_type, exc, tb):
        print(f"close {self.name}, error={exc_type.__name__ if exc_type else None}")
        return False
with Resource("db") as r:
    print("using", r.name)
try:
    with Resource("file") as f, Resource("lock"):
        raise RuntimeError("boom")
except RuntimeError as e:
    print("caught", e)
