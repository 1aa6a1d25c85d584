# a @contextmanager that yields the handle: the caller uses it after the yield
from contextlib import contextmanager


@contextmanager
def opened(path):
    f = open(path)
    yield f
    f.close()
