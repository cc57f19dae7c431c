import threading
def worker():
    print("worker starting")
    raise ValueError("worker failed")
t = threading.Thread(target=worker)
t.start()
t.join()
print("main thread finished normally")
