# `@cache` whose parameters are a bool, a Literal and an enum of the module: a handful of keys, no finding
import enum
from functools import cache
from typing import Literal, Optional


class Mode(enum.Enum):
    FAST = 1
    SLOW = 2


@cache
def table(strict: bool, kind: Literal["a", "b"], mode: Optional[Mode] = None):
    return [strict, kind, mode]
