import shutil, platform, sys
print(shutil.which("python3"), shutil.which("sh"), shutil.which("no-such-tool"))
print(shutil.get_terminal_size())
print(platform.python_implementation(), platform.system())
try:
    import os
    os.get_terminal_size()
except OSError as e:
    print("OSError", e.errno)
