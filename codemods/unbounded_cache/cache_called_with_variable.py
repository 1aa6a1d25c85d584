# a private `@cache` function one of whose calls passes a variable: the keys grow with the input, fixed (unsafe)
import functools


@functools.cache
def _load(name):
    return [name]


def startup(user_input):
    _load("core")
    return _load(user_input)


def _keys_from__load(path):
    with open(path) as f:
        for line in f:
            _load(*line.split())
