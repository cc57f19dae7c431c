import signal, time
fired = []
def handler(signum, frame):
    fired.append(signal.Signals(signum).name)
    raise TimeoutError("alarm fired")
signal.signal(signal.SIGALRM, handler)
signal.setitimer(signal.ITIMER_REAL, 0.05)
try:
    while True:
        time.sleep(0.01)
except TimeoutError as e:
    print("caught:", e)
print(fired)
signal.alarm(0)
