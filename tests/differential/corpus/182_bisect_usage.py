import bisect
scores = [60, 70, 80, 90]
grades = "FDCBA"
def grade(s):
    return grades[bisect.bisect(scores, s)]
print([grade(s) for s in [33, 60, 75, 89, 90, 100]])
a = [1, 2, 4, 4, 8]
print(bisect.bisect_left(a, 4), bisect.bisect_right(a, 4), bisect.bisect(a, 5))
bisect.insort(a, 3)
bisect.insort(a, 9)
print(a)
people = [("amy", 20), ("bo", 35), ("cy", 50)]
print(bisect.bisect_left(people, 36, key=lambda p: p[1]))
