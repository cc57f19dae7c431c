def circle_area(radius):
    """Compute the area of a circle.

    radius -- the radius, a non-negative number
    """
    return 3.14159 * radius * radius
help(circle_area)
print(repr(help))
