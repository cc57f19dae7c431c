import sys
print(sys.argv)
print(len(sys.argv), sys.argv[0])
import argparse
parser = argparse.ArgumentParser(prog="tool")
parser.add_argument("--count", type=int, default=3)
parser.add_argument("names", nargs="*")
args = parser.parse_args()
print(args)
print(parser.parse_args(["--count", "5", "x", "y"]))
