import pandas as pd

sales = pd.DataFrame({"region": ["north", "south", "north", "east", "south"],
                      "amount": [120, 80, 45, 300, 20]})
managers = pd.DataFrame({"region": ["north", "south", "west"],
                         "manager": ["Kim", "Lee", "Ito"]})
totals = sales.groupby("region", as_index=False)["amount"].agg(["sum", "count"])
print(totals)
print(sales.merge(managers, on="region", how="left"))
print(sales.merge(managers, on="region", how="inner").pivot_table(
    index="manager", values="amount", aggfunc="sum"))
