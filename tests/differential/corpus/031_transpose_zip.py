m = [[1, 2, 3], [4, 5, 6]]
t = [list(r) for r in zip(*m)]
print(t)
grid = ["abc", "def", "ghi"]
print(["".join(col) for col in zip(*grid)])
rot = [list(r) for r in zip(*m[::-1])]
print(rot)
