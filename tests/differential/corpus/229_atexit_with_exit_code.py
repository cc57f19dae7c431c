import atexit, sys
atexit.register(lambda: print("cleanup runs even on sys.exit"))
print("exiting with 9")
sys.exit(9)
