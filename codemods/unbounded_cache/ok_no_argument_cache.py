# A cached function without arguments (or a classmethod taking only `cls`) caches one value: not a leak
import functools


@functools.cache
def settings():
    return {"debug": False}


class Registry:
    @classmethod
    @functools.cache
    def default(cls):
        return cls()
