import os, stat
with open("script.sh", "w") as f:
    f.write("#!/bin/sh\necho hi\n")
os.chmod("script.sh", 0o750)
st = os.stat("script.sh")
print(oct(stat.S_IMODE(st.st_mode)), stat.S_ISREG(st.st_mode), st.st_size)
print(os.access("script.sh", os.R_OK), os.access("nonexistent", os.F_OK))
os.chmod("script.sh", 0o400)
try:
    open("script.sh", "w")
except PermissionError as e:
    print("PermissionError", e.errno)
