# A local `cache` decorator is not functools'
def cache(func):
    return func


@cache
def f(x):
    return x
