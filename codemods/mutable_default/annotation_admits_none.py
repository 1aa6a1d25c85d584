# pyfix-fixture: target-version=3.8
# annotations that already admit None are left alone
from typing import Any, Optional, Union


def f(a: Optional[list] = [], b: "list | None" = [], c: Any = {}, d: object = set(),
      e: Union[dict, None] = {}, f: "Optional[dict]" = {}):
    return a, b, c, d, e, f
