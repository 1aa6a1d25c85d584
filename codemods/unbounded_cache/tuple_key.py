# The key is the tuple of all parameters in order
_binomials = {}


def binomial(n, k):
    if (n, k) in _binomials:
        return _binomials[(n, k)]
    if k == 0 or k == n:
        value = 1
    else:
        value = binomial(n - 1, k - 1) + binomial(n - 1, k)
    _binomials[(n, k)] = value
    return value


def _keys_from_binomial(path):
    with open(path) as f:
        for line in f:
            binomial(*line.split())
