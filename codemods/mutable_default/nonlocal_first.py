# the guard goes after leading `nonlocal` declarations
def counter():
    count = 0

    def add(item, items=[]):
        nonlocal count
        count += 1
        items.append(item)
        return items

    return add
