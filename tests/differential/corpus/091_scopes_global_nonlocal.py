x = "global"
def outer():
    x = "enclosing"
    def inner():
        nonlocal x
        x = "modified by inner"
    inner()
    return x
print(outer(), x)
total = 0
def add(n):
    global total
    total += n
for i in range(5):
    add(i)
print(total)
def broken():
    print(y)
    y = 1
try:
    broken()
except UnboundLocalError as e:
    print("UnboundLocalError:", e)
