import sqlite3, os
con = sqlite3.connect("shop.db")
con.execute("CREATE TABLE items (name TEXT, qty INT)")
with con:
    con.executemany("INSERT INTO items VALUES (?, ?)", [("apple", 3), ("pear", 0)])
con.close()
con = sqlite3.connect("shop.db")
print(con.execute("SELECT * FROM items ORDER BY name").fetchall())
print(os.path.exists("shop.db"))
