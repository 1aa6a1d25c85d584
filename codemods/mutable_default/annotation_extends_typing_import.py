# pyfix-fixture: target-version=3.8
# an existing `from typing import ...` line gets `Optional` added instead of a second import line
from typing import Dict, List  # the file's own imports


def add(item: int, items: List[int] = [], index: Dict[str, int] = {}) -> List[int]:
    items.append(item)
    index[str(item)] = item
    return items
