import multiprocessing as mp
import sys
def ok():
    pass
def fails():
    raise SystemExit(3)
if __name__ == "__main__":
    sys.stdout.flush()
    codes = []
    for target in (ok, fails):
        p = mp.Process(target=target)
        p.start()
        p.join()
        codes.append(p.exitcode)
    print(codes, mp.current_process().name)
