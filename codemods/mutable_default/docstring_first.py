# the guard goes after the docstring, which must stay the first statement
def add(item, items=[]):
    """Append `item` and return the list.

    The list is new on every call.
    """
    items.append(item)
    return items
