records = [
    {"name": "Ann", "dept": "eng", "salary": 120},
    {"name": "Ben", "dept": "ops", "salary": 90},
    {"name": "Cid", "dept": "eng", "salary": 100},
    {"name": "Dee", "dept": "ops", "salary": 90},
    {"name": "Eve", "dept": "eng", "salary": 120},
]
by_salary = sorted(records, key=lambda r: r["salary"], reverse=True)
by_dept = sorted(by_salary, key=lambda r: r["dept"])
for r in by_dept:
    print(f'{r["dept"]:4} {r["name"]:4} {r["salary"]:>4}')
