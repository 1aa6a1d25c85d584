# a parameter named like a memo is a cache kept on purpose: left to unbounded-cache, not reported
def fib(n, _cache={}):
    if n < 2:
        return n
    _cache[n] = fib(n - 1) + fib(n - 2)
    return _cache[n]
