def bad(n):
    return bad(n + 1)
try:
    bad(0)
except RecursionError as e:
    print("RecursionError:", e)
print("recovered")
