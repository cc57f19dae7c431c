import json
obj = {"b": [1, 2.5, None, True], "a": {"nested": "välue"}, "c": "quote\"s"}
s = json.dumps(obj)
print(s)
print(json.dumps(obj, sort_keys=True, indent=2))
print(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
print(json.loads(s) == obj, json.loads("[1e3, -0.0, 12345678901234567890]"))
try:
    json.loads("{'single': 'quotes'}")
except json.JSONDecodeError as e:
    print("JSONDecodeError:", e.msg, e.lineno, e.colno)
class Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, set):
            return sorted(o)
        return super().default(o)
print(json.dumps({"s": {3, 1, 2}}, cls=Encoder))
