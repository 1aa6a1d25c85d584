# `if n in C: return C[n]` ... `C[n] = v; return v` on a pure recursive function: a safe fix
_fib_cache = {}


def fib(n):
    """The n-th Fibonacci number."""
    if n in _fib_cache:
        return _fib_cache[n]
    if n < 2:
        result = n
    else:
        result = fib(n - 1) + fib(n - 2)
    _fib_cache[n] = result
    return result


print(fib(30))


def _keys_from_fib(path):
    with open(path) as f:
        for line in f:
            fib(*line.split())
