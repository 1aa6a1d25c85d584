# an executor shut down (not `wait=False`) in a `finally:` is finished on every path: no finding
import concurrent.futures


def squares(n):
    tp = concurrent.futures.ThreadPoolExecutor(max_workers=4)
    try:
        results = list(tp.map(lambda x: x * x, range(n)))
    finally:
        tp.shutdown()
    return results
