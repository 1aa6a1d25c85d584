# `lru_cache(maxsize=None)` and `lru_cache(None, typed=True)` get the bound; other arguments stay
from functools import lru_cache


@lru_cache(maxsize=None)
def area(w, h):
    return w * h


@lru_cache(None, typed=True)
def kind(value):
    return type(value).__name__
