def load_row(i, row):
    try:
        return float(row)
    except ValueError as e:
        e.add_note(f"while parsing row {i}")
        e.add_note("rows must be numbers")
        raise
rows = ["1.5", "2", "three"]
print([load_row(i, r) for i, r in enumerate(rows[:2])])
total = sum(load_row(i, r) for i, r in enumerate(rows))
