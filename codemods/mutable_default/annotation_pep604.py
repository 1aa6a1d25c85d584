# pyfix-fixture: target-version=3.10
# from 3.10 on an annotation becomes `X | None`
def add(item: int, items: list[int] = [], extra: dict[str, list[int]] = {}) -> list[int]:
    items.append(item)
    extra[str(item)] = items
    return items
