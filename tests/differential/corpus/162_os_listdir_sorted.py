import os
print(sorted(os.listdir(".")))
os.mkdir("data")
for name in ["b.txt", "a.txt", "c.csv"]:
    with open(os.path.join("data", name), "w") as f:
        f.write(name)
print(sorted(os.listdir(".")))
print(sorted(os.listdir("data")))
print(sorted(e.name for e in os.scandir("data") if e.name.endswith(".txt")))
import glob
print(sorted(glob.glob("data/*.txt")), sorted(glob.glob("*.py")))
