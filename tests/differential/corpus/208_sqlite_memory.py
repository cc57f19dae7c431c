import sqlite3
con = sqlite3.connect(":memory:")
cur = con.cursor()
cur.execute("CREATE TABLE emp (id INTEGER PRIMARY KEY, name TEXT, dept TEXT, salary REAL)")
cur.executemany("INSERT INTO emp (name, dept, salary) VALUES (?, ?, ?)",
                [("ann", "eng", 120), ("bob", "ops", 80), ("cy", "eng", 100), ("di", "ops", 95)])
for row in cur.execute("SELECT dept, COUNT(*), AVG(salary) FROM emp GROUP BY dept ORDER BY dept"):
    print(row)
print(cur.execute("SELECT name FROM emp WHERE salary > ? ORDER BY name", (90,)).fetchall())
con.close()
