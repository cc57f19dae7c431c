name = input()
print(f"Hello, {name}!")
print(len(name), name.upper())
