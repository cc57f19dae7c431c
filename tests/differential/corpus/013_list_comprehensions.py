squares = [x * x for x in range(10)]
evens = [x for x in range(20) if x % 2 == 0]
pairs = [(x, y) for x in range(3) for y in range(3) if x != y]
print(squares)
print(evens)
print(pairs)
matrix = [[i * 3 + j for j in range(3)] for i in range(3)]
print(matrix, [row[i] for i, row in enumerate(matrix)])
flat = [v for row in matrix for v in row]
print(flat)
labels = ["even" if n % 2 == 0 else "odd" for n in range(5)]
print(labels)
print([c.upper() for c in "hello" if c not in "aeiou"])
