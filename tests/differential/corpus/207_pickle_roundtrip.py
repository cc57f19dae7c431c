import pickle
from dataclasses import dataclass
@dataclass
class Config:
    name: str
    values: list
c = Config("prod", [1, 2, {"k": (3, 4)}])
blob = pickle.dumps(c, protocol=4)
print(len(blob) > 0, blob[:2])
restored = pickle.loads(blob)
print(restored, restored == c, type(restored).__module__)
with open("config.pkl", "wb") as f:
    pickle.dump({"x": 1, "y": [None, True]}, f, protocol=2)
with open("config.pkl", "rb") as f:
    print(pickle.load(f))
