# pyfix-fixture: safe-only
# A list default grows with every call: `add.__defaults__` holds what earlier calls appended.
import sys


def add(item, items=[]):
    """Append `item` to `items` and return it."""
    items.append(item)
    return items


for i in range(1000):
    last = add(i)[-1]
print("last element of a default call:", last)
print("explicit list:", add(1, [0]))

leftover = [d for d in add.__defaults__ if d]
if leftover:
    print(f"LEAK: add.__defaults__ kept {len(leftover[0])} items across calls", file=sys.stderr)
