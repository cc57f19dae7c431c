words = ["apple", "banana", "cherry", "date"]
lengths = {w: len(w) for w in words}
print(lengths)
by_first = {w[0]: w for w in words}
print(by_first)
print({k: v for k, v in lengths.items() if v > 4})
print(sorted({len(w) for w in words}))
sq = {n: n ** 2 for n in range(6)}
print(sq, sum(sq.values()))
print({i: [j for j in range(i)] for i in range(4)})
