import os
print("before fork")
pid = os.fork()
if pid == 0:
    print("in child")
else:
    os.waitpid(pid, 0)
    print("in parent, child finished")
