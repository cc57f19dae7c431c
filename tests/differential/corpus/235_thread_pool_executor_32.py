from concurrent.futures import ThreadPoolExecutor, as_completed
import threading
def square(n):
    return n * n
with ThreadPoolExecutor(max_workers=32) as ex:
    results = list(ex.map(square, range(100)))
print(sum(results), results[:10])
barrier = threading.Barrier(32)
def wait_all(i):
    barrier.wait()
    return i
with ThreadPoolExecutor(32) as ex:
    futs = [ex.submit(wait_all, i) for i in range(32)]
    done = sorted(f.result() for f in as_completed(futs))
print(done == list(range(32)))
def boom(x):
    raise ValueError(f"bad {x}")
with ThreadPoolExecutor(4) as ex:
    f = ex.submit(boom, 7)
    print(type(f.exception()).__name__, f.exception())
