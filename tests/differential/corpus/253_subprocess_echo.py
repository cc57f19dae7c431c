import subprocess
r = subprocess.run(["/bin/echo", "hello", "from", "echo"], capture_output=True, text=True)
print(repr(r.stdout), r.returncode)
print("before inherited output", flush=True)
subprocess.run(["/bin/echo", "inherited stdout line"])
print("after inherited output", flush=True)
print(subprocess.run("echo shell $((6*7))", shell=True, capture_output=True, text=True).stdout, end="")
