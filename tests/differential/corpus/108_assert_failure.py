def mean(xs):
    assert len(xs) > 0, "mean of empty list"
    return sum(xs) / len(xs)
assert mean([2, 4]) == 3
print("first assertion passed")
assert 1 + 1 == 3
