s = "abcdefghij"
print(s[0], s[-1], s[2:5], s[:3], s[7:], s[::2], s[::-1], s[-3:], s[1:-1:3])
print(s[100:], s[-100:2], len(s))
words = "the quick brown fox".split()
print([w[::-1] for w in words])
print(" ".join(w[0].upper() + w[1:] for w in words))
print("racecar" == "racecar"[::-1])
print(ord("A"), chr(97), [ord(c) for c in "hi!"])
