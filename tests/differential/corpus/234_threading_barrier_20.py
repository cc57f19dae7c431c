import threading
N = 20
barrier = threading.Barrier(N)
arrived = []
lock = threading.Lock()
after = []
def worker(i):
    with lock:
        arrived.append(i)
    idx = barrier.wait()
    with lock:
        after.append(len(arrived))
threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
for t in threads: t.start()
for t in threads: t.join()
print(sorted(arrived) == list(range(N)), after == [N] * N, len(after))
