import pandas as pd

df = pd.DataFrame(
    {"name": ["Ada", "Grace", "Linus", "Guido"],
     "lang": ["python", "cobol", "c", "python"],
     "score": [91.5, 88.0, 79.25, 95.0]}
)
print(df)
print(df.dtypes)
print(df[df.score > 85].sort_values("score", ascending=False))
print(df.assign(double=df.score * 2).head(2).to_string(index=False))
