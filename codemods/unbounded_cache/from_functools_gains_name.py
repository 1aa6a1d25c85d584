# `from functools import reduce` gains `lru_cache`
from functools import reduce

_products = {}


def product(numbers):
    if numbers in _products:
        return _products[numbers]
    value = reduce(lambda a, b: a * b, numbers, 1)
    _products[numbers] = value
    return value


def _keys_from_product(path):
    with open(path) as f:
        for line in f:
            product(*line.split())
