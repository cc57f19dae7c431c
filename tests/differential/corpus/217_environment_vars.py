import os
print(dict(sorted(os.environ.items())))
print(os.environ.get("HOME"), os.getenv("PATH"), os.getenv("LANG"))
print(os.getenv("USER", "no USER"), "TERM" in os.environ, os.path.expanduser("~"))
