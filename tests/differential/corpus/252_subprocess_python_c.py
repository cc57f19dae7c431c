import subprocess, sys
r = subprocess.run(["/usr/bin/python3", "-c", "import sys; print('child says hi'); print('child err', file=sys.stderr); sys.exit(3)"],
                   capture_output=True, text=True)
print(repr(r.stdout), repr(r.stderr), r.returncode)
out = subprocess.check_output([sys.executable, "-c", "print(sum(range(10)))"], text=True)
print(out.strip())
r = subprocess.run([sys.executable, "-c", "print(input()[::-1])"], input="stressed\n", capture_output=True, text=True)
print(r.stdout.strip())
