import sys
def main():
    print("checking input")
    errors = ["missing field", "bad date"]
    for e in errors:
        print("error:", e, file=sys.stderr)
    return len(errors) + 1
if __name__ == "__main__":
    sys.exit(main())
