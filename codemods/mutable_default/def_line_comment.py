# comments on the def line and above the first statement stay where they are
def add(item, items=[]):  # noqa: B006 -- the old way
    # append, then return
    items.append(item)
    return items
