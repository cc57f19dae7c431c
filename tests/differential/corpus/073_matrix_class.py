class Matrix:
    def __init__(self, rows):
        self.rows = [list(r) for r in rows]
    def __mul__(self, other):
        cols = list(zip(*other.rows))
        return Matrix([[sum(a * b for a, b in zip(r, c)) for c in cols] for r in self.rows])
    def __pow__(self, n):
        result = Matrix([[int(i == j) for j in range(len(self.rows))] for i in range(len(self.rows))])
        base = self
        while n:
            if n & 1:
                result = result * base
            base = base * base
            n >>= 1
        return result
    def __str__(self):
        return "\n".join(" ".join(f"{v:>6}" for v in r) for r in self.rows)
m = Matrix([[1, 1], [1, 0]])
print(m ** 10)
print((m ** 90).rows[0][1])
