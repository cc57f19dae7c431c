import os, atexit, sys
atexit.register(lambda: print("never runs"))
sys.stdout.write("flushed line\n")
sys.stdout.flush()
os._exit(12)
