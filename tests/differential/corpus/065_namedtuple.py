from collections import namedtuple
Point = namedtuple("Point", ["x", "y"])
p = Point(3, 4)
print(p, p.x, p[1], p._asdict(), p._replace(x=10))
x, y = p
print(x + y, Point._fields, Point._make([5, 6]))
Employee = namedtuple("Employee", "name dept salary", defaults=[50000])
print(Employee("Ann", "eng"))
print(sorted([Point(2, 1), Point(1, 5), Point(1, 2)]))
