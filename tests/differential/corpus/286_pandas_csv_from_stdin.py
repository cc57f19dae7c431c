import sys

import pandas as pd

df = pd.read_csv(sys.stdin)
print(df)
print(df.groupby("team")["points"].sum().sort_values(ascending=False))
print(df.to_csv(index=False), end="")
