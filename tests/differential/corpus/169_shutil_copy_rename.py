import os, shutil
with open("orig.txt", "w") as f:
    f.write("content\n")
shutil.copy("orig.txt", "copy.txt")
os.rename("copy.txt", "renamed.txt")
os.makedirs("archive/2024", exist_ok=True)
shutil.move("renamed.txt", "archive/2024/")
print(sorted(os.listdir(".")), os.listdir("archive/2024"))
shutil.rmtree("archive")
os.remove("orig.txt")
print(sorted(os.listdir(".")))
