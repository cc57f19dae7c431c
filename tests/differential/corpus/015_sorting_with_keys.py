people = [("alice", 30), ("bob", 25), ("carol", 35), ("dave", 25)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: (-p[1], p[0])))
print(sorted(["banana", "Apple", "cherry"]), sorted(["banana", "Apple", "cherry"], key=str.lower))
print(sorted(["ccc", "a", "bb"], key=len, reverse=True))
from operator import itemgetter, attrgetter
print(sorted(people, key=itemgetter(1, 0)))
class P:
    def __init__(self, n, a):
        self.n, self.a = n, a
    def __repr__(self):
        return f"P({self.n}, {self.a})"
print(sorted([P("x", 3), P("y", 1), P("z", 2)], key=attrgetter("a")))
words = "the Quick brown fox Jumps".split()
words.sort(key=lambda w: (w.lower(), w))
print(words)
print(max(people, key=lambda p: p[1]), min(people, key=lambda p: len(p[0])))
