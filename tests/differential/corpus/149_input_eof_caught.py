try:
    value = input("type something: ")
except EOFError:
    print("\nno input available (EOFError)")
else:
    print("got", value)
