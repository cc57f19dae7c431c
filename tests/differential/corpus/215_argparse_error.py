import argparse
parser = argparse.ArgumentParser(prog="calc", description="Add numbers")
parser.add_argument("a", type=int)
parser.add_argument("b", type=int)
print("parsing arguments")
args = parser.parse_args()
print(args.a + args.b)
