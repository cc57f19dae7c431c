import threading, time
def late():
    time.sleep(0.05)
    print("non-daemon thread finished after main")
threading.Thread(target=late).start()
print("main module done")
