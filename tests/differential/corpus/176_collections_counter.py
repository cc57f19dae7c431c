from collections import Counter
votes = ["red", "blue", "red", "green", "blue", "red", "yellow"]
c = Counter(votes)
print(c)
print(c.most_common(2), c["red"], c["purple"])
c.update(["blue", "blue"])
c.subtract({"red": 1})
print(sorted(c.items()))
print(Counter("abracadabra").most_common())
a, b = Counter(a=3, b=1), Counter(a=1, b=2)
print(a + b, a - b, a & b, a | b)
print(sorted(c.elements())[:6], c.total())
