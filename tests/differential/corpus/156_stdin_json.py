import json, sys
data = json.load(sys.stdin)
print(type(data).__name__, sorted(data))
for user in data["users"]:
    print(user["name"], sum(user["scores"]))
print(json.dumps(data["meta"], sort_keys=True))
