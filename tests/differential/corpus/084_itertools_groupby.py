from itertools import groupby
data = sorted(["apple", "avocado", "banana", "blueberry", "cherry", "apricot"])
for letter, group in groupby(data, key=lambda w: w[0]):
    print(letter, list(group))
s = "aaabccddddde"
print([(k, len(list(g))) for k, g in groupby(s)])
print("".join(f"{k}{len(list(g))}" for k, g in groupby(s)))
