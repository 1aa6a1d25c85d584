# The dict starts with base cases: they are part of the algorithm
_fib = {0: 0, 1: 1}


def fib(n):
    if n in _fib:
        return _fib[n]
    value = fib(n - 1) + fib(n - 2)
    _fib[n] = value
    return value


def _keys_from_fib(path):
    with open(path) as f:
        for line in f:
            fib(*line.split())
