# A program that restarts itself with os.execv (as auto-reloaders do): the
# new image starts as `python3 main.py again` would.
import os, sys
print("run", sys.argv, flush=True)
if len(sys.argv) == 1:
    os.execv(sys.executable, [sys.executable, "main.py", "again"])
print("done", sys.orig_argv[1:])
