import csv, sys
reader = csv.DictReader(sys.stdin)
rows = list(reader)
print(reader.fieldnames)
for r in sorted(rows, key=lambda r: float(r["score"]), reverse=True):
    print(f'{r["name"]:<10}{float(r["score"]):6.1f}')
print("average", round(sum(float(r["score"]) for r in rows) / len(rows), 2))
