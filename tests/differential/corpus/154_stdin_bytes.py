import sys
raw = sys.stdin.buffer.read()
print(len(raw), raw[:12])
print(raw.decode("utf-8").splitlines())
print(sys.stdin.encoding, sys.stdout.encoding, sys.stderr.encoding)
