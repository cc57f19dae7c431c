import traceback, sys
def level2():
    return {}["missing"]
def level1():
    return level2()
try:
    level1()
except KeyError:
    traceback.print_exc()
    print("recovered", file=sys.stderr)
print("program continues")
try:
    1 / 0
except ZeroDivisionError:
    traceback.print_exc(file=sys.stdout)
