import sys
print("exit with a non-int code")
sys.exit([1, "two"])
