import sys
def work():
    try:
        print("working")
        raise SystemExit(7)
    finally:
        print("finally still runs")
try:
    work()
except SystemExit as e:
    print("caught SystemExit with code", e.code)
try:
    sys.exit("message")
except SystemExit as e:
    print("caught", repr(e.code))
raise SystemExit(2)
