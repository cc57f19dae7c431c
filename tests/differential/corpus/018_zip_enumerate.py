names = ["ann", "bob", "cy"]
scores = [90, 85, 77, 100]
for i, name in enumerate(names, start=1):
    print(i, name)
print(list(zip(names, scores)))
print(dict(zip(names, scores)))
import itertools
print(list(itertools.zip_longest(names, scores, fillvalue="-")))
pairs = [(1, "a"), (2, "b")]
nums, letters = zip(*pairs)
print(nums, letters)
try:
    list(zip(names, scores, strict=True))
except ValueError as e:
    print("ValueError:", e)
