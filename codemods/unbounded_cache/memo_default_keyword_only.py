# A keyword-only memo default: `fib(*pair)` cannot fill it (only `**kwargs` could), so the call does not block the fix
def fib(n, *, _memo={}):
    if n in _memo:
        return _memo[n]
    result = n if n < 2 else fib(n - 1) + fib(n - 2)
    _memo[n] = result
    return result


pair = (20,)
print(fib(*pair))


def _keys_from_fib(path):
    with open(path) as f:
        for line in f:
            fib(*line.split())
