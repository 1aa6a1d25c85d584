# list default: the list is built once and every call appends to the same one
def add(item, items=[]):
    items.append(item)
    return items
