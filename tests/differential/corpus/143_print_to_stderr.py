import sys
print("Warning: low disk space", file=sys.stderr)
print("result = 42")
print("Error details:", {"code": 17}, sep=" ", file=sys.stderr)
sys.stderr.write("raw stderr write\n")
