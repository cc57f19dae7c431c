print("reading a line")
x = input()
print("got", x)
