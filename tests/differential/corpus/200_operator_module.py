import operator as op
from functools import reduce
print(op.add(2, 3), op.mul(4, 5), op.neg(7), op.truediv(7, 2), op.floordiv(7, 2), op.mod(7, 3))
getter = op.itemgetter(0, 2)
print(getter("abcdef"), op.itemgetter("k")({"k": 9}))
print(op.attrgetter("real", "imag")(3 + 4j))
print(op.methodcaller("split", ",")("a,b,c"))
print(reduce(op.xor, [1, 2, 3, 4]), op.contains([1, 2], 2), op.eq(1, 1.0))
