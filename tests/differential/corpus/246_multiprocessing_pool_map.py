from multiprocessing import Pool
def cube(x):
    return x ** 3
if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(cube, range(10)))
        print(pool.starmap(pow, [(2, 3), (3, 2)]))
        print(sorted(pool.imap_unordered(cube, range(5))))
        r = pool.apply_async(cube, (7,))
        print(r.get(timeout=5))
