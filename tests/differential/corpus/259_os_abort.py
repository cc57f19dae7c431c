import os, sys
print("about to abort", flush=True)
sys.stderr.write("aborting\n")
sys.stderr.flush()
os.abort()
