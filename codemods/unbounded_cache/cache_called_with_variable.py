# a private `@cache` function one of whose calls passes a variable: the keys grow with the input, fixed (unsafe)
import functools


@functools.cache
def _load(name):
    return [name]


def startup(user_input):
    _load("core")
    return _load(user_input)
