# pyfix-fixture: target-version=3.8
# with `import typing` already there, the annotation becomes `typing.Optional[...]`
import typing


def add(item: int, items: typing.List[int] = []) -> typing.List[int]:
    items.append(item)
    return items
