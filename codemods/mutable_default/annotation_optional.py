# pyfix-fixture: target-version=3.8
# before 3.10 an annotation becomes `Optional[...]`, and `Optional` is imported
import os


def add(item: int, items: list = [], index: "dict[str, int]" = {}) -> list:
    items.append(item)
    index[str(item)] = item
    return items
