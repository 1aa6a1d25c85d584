# A private memo default: the parameter goes and the decorator comes (unsafe: the signature changes)
def fib(n, _memo={}):
    if n in _memo:
        return _memo[n]
    result = n if n < 2 else fib(n - 1) + fib(n - 2)
    _memo[n] = result
    return result


print(fib(20))


def _keys_from_fib(path):
    with open(path) as f:
        for line in f:
            fib(int(line))
