import numpy as np

a = np.array([[3.0, 1.0], [1.0, 2.0]])
b = np.array([9.0, 8.0])
x = np.linalg.solve(a, b)
print(x, np.allclose(a @ x, b))
print(np.linalg.inv(a))
print(np.round(np.linalg.eigvalsh(a), 6))
print(np.linalg.det(a).round(6), np.linalg.matrix_rank(a))
m = np.arange(12).reshape(3, 4)
print(m.T @ m)
print(m.sum(axis=0), m.mean(), m.std().round(6))
