import sys
total = 0
for lineno, line in enumerate(sys.stdin, 1):
    line = line.rstrip("\n")
    if not line:
        continue
    name, qty, price = line.split(";")
    cost = int(qty) * float(price)
    total += cost
    print(f"{lineno}: {name:<8} {cost:8.2f}")
print(f"total {total:.2f}")
