s = "hello world programming"
freq = {}
for ch in s:
    if ch != " ":
        freq[ch] = freq.get(ch, 0) + 1
for ch, n in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])):
    print(ch, "#" * n)
first_unique = next((c for c in s if s.count(c) == 1), None)
print("first unique:", first_unique)
