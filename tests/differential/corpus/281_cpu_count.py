# The CPUs a program sees, as multiprocessing sizes its pools.
import os, multiprocessing
print(os.cpu_count() == multiprocessing.cpu_count(), os.cpu_count() >= 1)
print(len(os.sched_getaffinity(0)) == os.cpu_count())
