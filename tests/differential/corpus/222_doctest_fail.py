def square(x):
    """Square a number.

    >>> square(3)
    9
    >>> square(-2)
    -4
    >>> square(1.5)
    2.25
    """
    return x * x
def shout(s):
    """
    >>> shout("hi")
    'HI!'
    """
    return s.upper()
if __name__ == "__main__":
    import doctest
    failures, tests = doctest.testmod()
    print(f"{failures} failures out of {tests} tests")
