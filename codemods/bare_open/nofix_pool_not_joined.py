# `multiprocessing.Pool` never joined: `__exit__` would terminate pending work, so no fix
import multiprocessing


def submit(jobs, work):
    pool = multiprocessing.Pool()
    for job in jobs:
        pool.apply_async(work, (job,))
    pool.close()
