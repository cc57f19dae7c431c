from functools import reduce
import operator
print(reduce(operator.add, range(1, 11)))
print(reduce(lambda acc, x: acc * 10 + x, [1, 2, 3, 4]))
print(reduce(lambda a, b: a if a > b else b, [3, 9, 2, 7]))
print(reduce(operator.mul, [], 1))
words = ["alpha", "beta", "gamma"]
print(reduce(lambda d, w: {**d, w[0]: w}, words, {}))
try:
    reduce(operator.add, [])
except TypeError as e:
    print("TypeError:", e)
