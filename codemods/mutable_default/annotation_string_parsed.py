# pyfix-fixture: target-version=3.8
# string annotations are parsed, not searched: `NoneHandler` and `Anything` do not admit None, "Optional[...]" does
from typing import Optional


def f(a: "dict[str, NoneHandler]" = {}, b: "list[Anything]" = [], c: "Optional[list]" = []):
    return a, b, c
