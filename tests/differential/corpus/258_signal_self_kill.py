import os, signal
got = []
signal.signal(signal.SIGUSR1, lambda s, f: got.append(signal.Signals(s).name))
os.kill(os.getpid(), signal.SIGUSR1)
print("handled", got)
print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)
print("now terminating with SIGTERM", flush=True)
os.kill(os.getpid(), signal.SIGTERM)
