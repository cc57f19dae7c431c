from multiprocessing import Process, Queue
def worker(q, n):
    q.put((n, sum(range(n))))
if __name__ == "__main__":
    q = Queue()
    procs = [Process(target=worker, args=(q, n)) for n in (10, 100, 1000)]
    for p in procs:
        p.start()
    results = sorted(q.get(timeout=5) for _ in procs)
    for p in procs:
        p.join()
    print(results)
    print([p.exitcode for p in procs])
