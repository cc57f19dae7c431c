def add(a, b):
    """Return the sum.

    >>> add(2, 3)
    5
    >>> add("a", "b")
    'ab'
    >>> [add(i, i) for i in range(3)]
    [0, 2, 4]
    """
    return a + b
def divide(a, b):
    """
    >>> divide(1, 0)
    Traceback (most recent call last):
    ...
    ZeroDivisionError: division by zero
    """
    return a / b
if __name__ == "__main__":
    import doctest
    result = doctest.testmod()
    print(result)
    print(doctest.testmod(verbose=True))
