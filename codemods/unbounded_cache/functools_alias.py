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
