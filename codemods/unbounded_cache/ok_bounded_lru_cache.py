# `@lru_cache`, `@lru_cache()` and `@lru_cache(maxsize=256)` are bounded already
from functools import lru_cache


@lru_cache
def a(x):
    return x


@lru_cache()
def b(x):
    return x


@lru_cache(maxsize=256)
def c(x):
    return x
