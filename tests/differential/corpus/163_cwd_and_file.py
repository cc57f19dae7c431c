import os, sys
print(os.getcwd())
print(__file__)
print(os.path.basename(__file__))
print(os.path.dirname(os.path.abspath(__file__)))
print(os.path.abspath("x.txt"), os.path.realpath("."))
print(__name__, os.path.splitext(os.path.basename(__file__)))
