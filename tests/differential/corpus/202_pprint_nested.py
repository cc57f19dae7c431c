from pprint import pprint, pformat
data = {"users": [{"name": f"user{i}", "roles": ["admin", "dev"][: i % 2 + 1], "id": i} for i in range(4)],
        "settings": {"theme": "dark", "langs": ["en", "fr", "de", "es", "it"], "limits": {"cpu": 2, "mem": 512}}}
pprint(data, width=60)
print(pformat(list(range(30)), width=40, compact=True))
pprint({"z": 1, "a": 2, "m": [3, 4]}, sort_dicts=False)
