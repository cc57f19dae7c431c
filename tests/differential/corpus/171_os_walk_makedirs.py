import os
for d in ["pkg/a/x", "pkg/b", "pkg/a/y"]:
    os.makedirs(d)
for f in ["pkg/a/x/1.txt", "pkg/b/2.txt", "pkg/top.txt"]:
    open(f, "w").close()
for root, dirs, files in sorted(os.walk("pkg")):
    dirs.sort()
    print(root, sorted(dirs), sorted(files))
print(os.path.join("a", "b", "c.txt"), os.path.split("/x/y/z.py"), os.path.normpath("a/./b/../c"))
