names = [n for n in dir(__builtins__) if not n.startswith("_")]
print(len(names))
print([n for n in names if n[0].islower()])
