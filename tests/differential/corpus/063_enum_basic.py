from enum import Enum, IntEnum
class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3
print(Color.RED, repr(Color.GREEN), Color(3), Color["BLUE"])
print([c.name for c in Color], [c.value for c in Color])
print(Color.RED is Color(1), Color.RED == 1, len(Color))
class Priority(IntEnum):
    LOW = 1
    HIGH = 3
print(Priority.HIGH > Priority.LOW, Priority.LOW + 1, sorted([Priority.HIGH, Priority.LOW]))
try:
    Color(7)
except ValueError as e:
    print("ValueError:", e)
