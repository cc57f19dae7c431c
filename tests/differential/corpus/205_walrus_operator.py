import re
data = [3, 8, 1, 12, 7, 20]
if (n := len(data)) > 5:
    print(f"list is long ({n} elements)")
print([y for x in data if (y := x * 2) > 10])
lines = iter(["a", "b", "", "c"])
while (line := next(lines)) != "":
    print("line", line)
if m := re.search(r"(\d+)", "order 66 executed"):
    print("number", m.group(1))
