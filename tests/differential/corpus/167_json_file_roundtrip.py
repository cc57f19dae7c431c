import json
data = {"name": "Widget", "tags": ["a", "b"], "price": 9.99, "stock": None, "ok": True, "unicode": "é✓"}
with open("data.json", "w", encoding="utf-8") as f:
    json.dump(data, f, indent=2, ensure_ascii=False)
print(open("data.json", encoding="utf-8").read())
with open("data.json", encoding="utf-8") as f:
    loaded = json.load(f)
print(loaded == data, loaded["tags"])
