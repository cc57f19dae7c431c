from dataclasses import dataclass, field, fields
@dataclass
class Team:
    name: str
    members: list = field(default_factory=list)
    score: int = field(default=0, repr=False)
    def __post_init__(self):
        self.name = self.name.title()
a, b = Team("red rockets"), Team("blue")
a.members.append("ann")
print(a, b, a.score)
print([(f.name, f.type.__name__ if isinstance(f.type, type) else f.type) for f in fields(Team)])
@dataclass
class Point3:
    x: int = 0
    y: int = 0
    z: int = 0
print(Point3(1, z=5))
try:
    @dataclass
    class Bad:
        xs: list = []
except ValueError as e:
    print("ValueError:", e)
