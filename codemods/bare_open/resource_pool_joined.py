# `multiprocessing.Pool` closed and joined: `__exit__` terminates only finished workers, so `with`
from multiprocessing import Pool


def squares(numbers):
    pool = Pool(2)
    result = pool.map(abs, numbers)
    pool.close()
    pool.join()
    return result
