# @overload signatures are only reported: their defaults are never used
from typing import overload


@overload
def f(x: int, items: list = []) -> int: ...
@overload
def f(x: str, items: list = []) -> str: ...
def f(x, items=None):
    return x
