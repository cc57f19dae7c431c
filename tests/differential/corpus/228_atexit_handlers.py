import atexit, sys
def goodbye(name):
    print(f"goodbye from {name}")
atexit.register(goodbye, "first")
atexit.register(goodbye, "second")
@atexit.register
def last_words():
    print("stderr at exit", file=sys.stderr)
print("main body done")
