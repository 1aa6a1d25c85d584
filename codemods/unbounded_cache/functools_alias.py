# `import functools as ft` is reused through its alias
import functools as ft

_memo = {}


def halve(n):
    if n in _memo:
        return _memo[n]
    value = n // 2
    _memo[n] = value
    return value


ft.reduce(max, [1])


def _keys_from_halve(path):
    with open(path) as f:
        for line in f:
            halve(*line.split())
