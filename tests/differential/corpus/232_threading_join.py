import threading
results = [None] * 5
def worker(i):
    results[i] = sum(range(i * 1000))
threads = [threading.Thread(target=worker, args=(i,), name=f"w{i}") for i in range(5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(results)
print([t.name for t in threads], [t.is_alive() for t in threads])
print(threading.current_thread().name, threading.active_count())
