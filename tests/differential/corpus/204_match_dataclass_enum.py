from dataclasses import dataclass
from enum import Enum
class Op(Enum):
    ADD = "+"
    MUL = "*"
@dataclass
class Num:
    value: int
@dataclass
class BinOp:
    op: Op
    left: object
    right: object
def evaluate(e):
    match e:
        case Num(value=v):
            return v
        case BinOp(op=Op.ADD, left=l, right=r):
            return evaluate(l) + evaluate(r)
        case BinOp(Op.MUL, l, r):
            return evaluate(l) * evaluate(r)
expr = BinOp(Op.ADD, Num(2), BinOp(Op.MUL, Num(3), Num(4)))
print(expr)
print(evaluate(expr))
