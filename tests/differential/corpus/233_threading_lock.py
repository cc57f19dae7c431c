import threading
counter = 0
lock = threading.Lock()
def increment(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1
threads = [threading.Thread(target=increment, args=(10000,)) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print("counter", counter)
rlock = threading.RLock()
def reentrant(n):
    with rlock:
        return 0 if n == 0 else 1 + reentrant(n - 1)
print(reentrant(10))
