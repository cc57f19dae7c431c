import os
print(os.getuid(), os.geteuid(), os.getgid(), os.getegid(), os.getgroups())
print(os.access("/tmp", os.W_OK), os.access("/usr", os.W_OK))
