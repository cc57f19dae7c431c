from enum import Enum, Flag, auto, unique
class Perm(Flag):
    R = auto()
    W = auto()
    X = auto()
rw = Perm.R | Perm.W
print(rw, Perm.R in rw, Perm.X in rw, Perm(7), Perm.R.value, Perm.X.value)
@unique
class Weekday(Enum):
    MON = auto()
    TUE = auto()
    WED = auto()
    def is_weekend(self):
        return False
print(list(Weekday), Weekday.TUE.value, Weekday.WED.is_weekend())
try:
    @unique
    class Dup(Enum):
        A = 1
        B = 1
except ValueError as e:
    print("ValueError:", e)
