# an executor shut down (not `wait=False`), or a pool joined, on every normal path: the code finishes it itself, and
# `__exit__` would differ only when an exception leaves (where it blocks, or terminates): no finding
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import Pool


def fetch_all(urls, fetch):
    executor = ThreadPoolExecutor(max_workers=4)
    results = list(executor.map(fetch, urls))
    executor.shutdown()
    return results


def crunch(items, work):
    executor = ProcessPoolExecutor()
    results = list(executor.map(work, items))
    executor.shutdown(wait=True)
    return results


def squares(numbers):
    pool = Pool(2)
    result = pool.map(abs, numbers)
    pool.close()
    pool.join()
    return result
