# @overload signatures never run: no finding at all (so --check can be clean)
from typing import overload


@overload
def f(x: int, items: list = []) -> int: ...
@overload
def f(x: str, items: list = []) -> str: ...
def f(x, items=None):
    return x
