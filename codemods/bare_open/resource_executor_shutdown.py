# an executor shut down on the normal path: `__exit__` does the same, so `with`
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


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
