print(repr(quit))
print(str(exit))
quit()
print("not printed")
