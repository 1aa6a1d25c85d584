# `multiprocessing.Pool` closed and joined, but not on a path that returns first: `__exit__` terminates only
# finished workers there, so `with`
from multiprocessing import Pool


def squares(numbers):
    pool = Pool(2)
    result = pool.map(abs, numbers)
    if not result:
        return None
    pool.close()
    pool.join()
    return result
