import csv
rows = [["id", "name", "note"], [1, "Ann", "likes, commas"], [2, "Bob", 'says "hi"'], [3, "Ćiro", ""]]
with open("people.csv", "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerows(rows)
print(open("people.csv", encoding="utf-8").read(), end="")
with open("people.csv", newline="", encoding="utf-8") as f:
    for rec in csv.DictReader(f):
        print(dict(rec))
