name = input("Enter your name: ")
age = int(input("Enter your age: "))
print()
print(f"{name} will be {age + 10} in ten years")
