# multiprocessing.Pool: workers keep running when a result is rejected; `with` terminates them, results unchanged.
import multiprocessing
import sys


def square(x):
    return x * x


def total(numbers):
    pool = multiprocessing.Pool(2)
    results = pool.map(square, numbers)
    if any(r > 100 for r in results):
        raise ValueError("too big")
    pool.close()
    pool.join()
    return sum(results)


if __name__ == "__main__":
    print(total([1, 2, 3]))
    try:
        total([1, 20])
    except ValueError as e:
        print("error:", e)
        if multiprocessing.active_children():
            print("LEAK: worker processes still running", file=sys.stderr)
