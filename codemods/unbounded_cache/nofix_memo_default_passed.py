# A memo default that the recursion passes on (and that is public): reported, not rewritten
def fib(n, memo={}):
    if n in memo:
        return memo[n]
    result = n if n < 2 else fib(n - 1, memo) + fib(n - 2, memo)
    memo[n] = result
    return result


def _keys_from_fib(path):
    with open(path) as f:
        for line in f:
            fib(*line.split())
