# pyfix-fixture: target-version=3.8
# `from __future__ import annotations` makes `X | None` fine on any version
from __future__ import annotations


def add(item: int, items: list[int] = []) -> list[int]:
    items.append(item)
    return items
