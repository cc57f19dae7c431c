import threading
ready = threading.Event()
log = []
def waiter():
    ready.wait()
    log.append("waiter saw event")
t = threading.Thread(target=waiter)
t.start()
log.append("setting event")
ready.set()
t.join()
print(log)
cond = threading.Condition()
items = []
def consume():
    with cond:
        cond.wait_for(lambda: len(items) >= 3)
        print("consumer got", items)
c = threading.Thread(target=consume)
c.start()
for i in range(3):
    with cond:
        items.append(i)
        cond.notify()
c.join()
local = threading.local()
def set_local(v, res, i):
    local.v = v
    res[i] = local.v
res = [None] * 3
ts = [threading.Thread(target=set_local, args=(v, res, i)) for i, v in enumerate("xyz")]
for t in ts: t.start()
for t in ts: t.join()
print(res, hasattr(local, "v"))
sem = threading.Semaphore(2)
print(sem.acquire(), sem.acquire(), sem.acquire(blocking=False))
timer_hits = []
tm = threading.Timer(0.01, lambda: timer_hits.append("timer"))
tm.start(); tm.join()
print(timer_hits)
