class Shape:
    def __init__(self):
        self.perimeter = 4
s = Shape()
print(s.perimeter)
print(s.perimetr)
