import sys
failed = True
print("failed:", failed)
sys.exit(failed)
