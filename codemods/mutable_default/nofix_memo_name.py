# a parameter named like a memo is kept across calls on purpose (unbounded-cache's business)
def fib(n, _cache={}):
    if n < 2:
        return n
    _cache[n] = fib(n - 1) + fib(n - 2)
    return _cache[n]
