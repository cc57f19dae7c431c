def matmul(a, b):
    return [[sum(x * y for x, y in zip(row, col)) for col in zip(*b)] for row in a]
A = [[1, 2], [3, 4], [5, 6]]
B = [[7, 8, 9], [10, 11, 12]]
for row in matmul(A, B):
    print(" ".join(f"{v:4d}" for v in row))
I = [[int(i == j) for j in range(3)] for i in range(3)]
print(matmul(I, [[1, 2, 3], [4, 5, 6], [7, 8, 9]]))
def det(m):
    if len(m) == 1:
        return m[0][0]
    return sum((-1) ** c * m[0][c] * det([r[:c] + r[c + 1:] for r in m[1:]]) for c in range(len(m)))
print(det([[2, 0, 1], [1, 3, 2], [1, 1, 1]]))
