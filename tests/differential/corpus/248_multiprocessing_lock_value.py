from multiprocessing import Process, Lock, Value, Array
def add(lock, counter, arr, i):
    for _ in range(100):
        with lock:
            counter.value += 1
    arr[i] = i * i
if __name__ == "__main__":
    lock = Lock()
    counter = Value("i", 0)
    arr = Array("i", 4)
    ps = [Process(target=add, args=(lock, counter, arr, i)) for i in range(4)]
    for p in ps: p.start()
    for p in ps: p.join()
    print(counter.value, list(arr))
