import subprocess
print("step 1: about to run echo")
subprocess.run(["/bin/echo", "step 2: echo output"])
print("step 3: done")
