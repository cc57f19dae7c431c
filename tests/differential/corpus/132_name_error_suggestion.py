length = 10
def area(width):
    return width * lenght
print(area(3))
