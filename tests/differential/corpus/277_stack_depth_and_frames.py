# Nothing runs under the program: the stack holds only its own frames, and
# the recursion limit leaves exactly the headroom `python3 main.py` has.
import inspect, sys, traceback
print(len(inspect.stack()), [f.function for f in inspect.stack()])
def depth(n=1):
    try:
        return depth(n + 1)
    except RecursionError:
        return n
print("max depth", depth(), "limit", sys.getrecursionlimit())
def show():
    traceback.print_stack(file=sys.stdout)
show()
f = sys._getframe()
print(f.f_back, f.f_code.co_filename, f.f_code.co_name)
