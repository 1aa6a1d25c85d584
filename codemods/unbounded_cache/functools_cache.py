# `@functools.cache` on a function of one argument -> `@functools.lru_cache(maxsize=128)`
import functools


@functools.cache
def parse_version(text):
    return tuple(int(part) for part in text.split("."))
