import numpy as np
import pandas as pd

rng = np.random.default_rng(7)
df = pd.DataFrame({"x": rng.normal(10, 2, 200).round(3),
                   "y": rng.integers(0, 100, 200)})
print(df.describe())
print(df.corr().round(4))
print(df["y"].value_counts().head(3))
