from concurrent.futures import ProcessPoolExecutor
import math
def is_prime(n):
    if n < 2:
        return False
    return all(n % d for d in range(2, math.isqrt(n) + 1))
if __name__ == "__main__":
    nums = [97, 100, 7919, 7921, 1, 2]
    with ProcessPoolExecutor(max_workers=2) as ex:
        flags = list(ex.map(is_prime, nums))
        big = ex.submit(pow, 2, 100).result()
    for n, p in zip(nums, flags):
        print(n, p)
    print(big)
