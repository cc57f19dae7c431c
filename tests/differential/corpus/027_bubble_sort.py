def bubble_sort(a):
    a = list(a)
    swaps = 0
    for i in range(len(a)):
        swapped = False
        for j in range(len(a) - 1 - i):
            if a[j] > a[j + 1]:
                a[j], a[j + 1] = a[j + 1], a[j]
                swaps += 1
                swapped = True
        if not swapped:
            break
    return a, swaps
print(bubble_sort([64, 34, 25, 12, 22, 11, 90]))
print(bubble_sort([1, 2, 3]))
