# A program that writes another script and runs it with the same interpreter,
# with arguments: the child starts as any `python3 child.py` would.
import subprocess, sys
with open("child.py", "w") as f:
    f.write("import sys, os\n"
            "print('child', sys.argv, sys.orig_argv[1:], os.path.basename(__file__))\n"
            "print('child stdin', sys.stdin.read().strip())\n"
            "sys.exit(4)\n")
r = subprocess.run([sys.executable, "child.py", "x", "y z"], input="fed",
                   capture_output=True, text=True)
print(r.stdout, end="")
print("stderr:", repr(r.stderr), "code:", r.returncode)
r = subprocess.run([sys.executable, __file__.replace("main.py", "child.py")],
                   capture_output=True, text=True, stdin=subprocess.DEVNULL)
print(r.stdout.splitlines()[0], r.returncode)
