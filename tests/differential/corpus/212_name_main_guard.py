def main():
    print("running main()")
    print("__name__ is", __name__)
def helper():
    return "helper"
if __name__ == "__main__":
    main()
else:
    print("imported")
import sys
print(sys.modules["__main__"].helper(), sys.modules[__name__] is sys.modules["__main__"])
