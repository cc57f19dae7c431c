try:
    raise KeyboardInterrupt("simulated")
except KeyboardInterrupt as e:
    print("caught KeyboardInterrupt", e.args)
print("still running")
