print(list(globals()))
x = 1
def f():
    y = 2
    return list(locals())
print(f(), [k for k in globals() if not k.startswith("__")])
