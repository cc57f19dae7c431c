n = int(input("How many? "))
print("you said", n)
