# an executor shut down on the normal path but not on a path that returns first: `__exit__` shuts it down on every
# path, so `with` (unsafe: on an exception it waits for pending tasks)
from concurrent.futures import ThreadPoolExecutor


def fetch_all(urls, fetch):
    executor = ThreadPoolExecutor(max_workers=4)
    results = list(executor.map(fetch, urls))
    if not results:
        return []
    executor.shutdown()
    return results
