import sys, threading
def worker():
    print("thread exiting")
    sys.exit(5)
t = threading.Thread(target=worker)
t.start(); t.join()
print("main continues after thread's SystemExit")
