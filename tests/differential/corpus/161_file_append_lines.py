for i in range(3):
    with open("log.txt", "a", encoding="utf-8") as f:
        f.write(f"entry {i} ✓\n")
with open("log.txt", encoding="utf-8") as f:
    lines = f.readlines()
print(lines)
with open("log.txt", "r+") as f:
    f.seek(0)
    f.write("ENTRY")
print(open("log.txt").read(), end="")
