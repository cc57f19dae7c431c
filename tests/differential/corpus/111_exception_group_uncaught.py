def run():
    raise ExceptionGroup("batch failed", [ValueError("bad value"), TypeError("bad type"), ExceptionGroup("inner", [KeyError("k")])])
print("running batch")
run()
