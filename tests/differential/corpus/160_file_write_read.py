with open("notes.txt", "w") as f:
    f.write("first line\n")
    f.write("second line\n")
    print("third line", file=f)
with open("notes.txt") as f:
    print(repr(f.read()))
with open("notes.txt") as f:
    for i, line in enumerate(f):
        print(i, line.rstrip())
with open("notes.txt", "rb") as f:
    print(f.read(5), f.tell())
import os
print(os.path.exists("notes.txt"), os.path.getsize("notes.txt"))
