from collections import Counter
text = """It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness"""
words = [w.strip(",.").lower() for w in text.split()]
c = Counter(words)
for word, n in c.most_common(5):
    print(f"{word:10} {n}")
print(len(c), c["times"], c["missing"])
