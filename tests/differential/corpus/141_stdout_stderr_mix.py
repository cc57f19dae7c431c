import sys
for i in range(5):
    print(f"out {i}")
    print(f"err {i}", file=sys.stderr)
sys.stdout.write("direct stdout\n")
sys.stderr.write("direct stderr\n")
sys.stdout.flush()
sys.stderr.flush()
