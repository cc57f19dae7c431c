lines = []
while True:
    try:
        line = input()
    except EOFError:
        break
    lines.append(line)
print(len(lines), "lines")
for i, ln in enumerate(lines, 1):
    print(i, ln[::-1])
