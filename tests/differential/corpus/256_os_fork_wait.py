import os, sys
sys.stdout.flush()
pid = os.fork()
if pid == 0:
    os.write(1, b"child writes directly\n")
    os._exit(7)
_, status = os.waitpid(pid, 0)
print("child exit status", os.waitstatus_to_exitcode(status))
