for i in range(10):
    if i == 4:
        print("stopping at", i)
        exit(4)
    print(i)
