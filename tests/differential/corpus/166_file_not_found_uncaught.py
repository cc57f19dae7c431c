print("opening settings")
with open("settings.ini") as f:
    print(f.read())
