d = {"b": 2, "a": 1}
d["c"] = 3
print(d, len(d), d["a"], d.get("z"), d.get("z", 0))
d.update({"a": 10, "d": 4})
print(list(d.keys()), list(d.values()), list(d.items()))
print(d.pop("b"), d.setdefault("e", 5), d)
print(sorted(d), sorted(d.items(), key=lambda kv: -kv[1]))
for k in sorted(d):
    print(k, "->", d[k])
merged = {"x": 1} | {"y": 2}
print(merged, dict(zip("abc", range(3))), dict.fromkeys(["p", "q"], 0))
try:
    d["missing"]
except KeyError as e:
    print("KeyError:", e)
inv = {v: k for k, v in d.items()}
print(inv)
del d["a"]
print("a" in d, d)
