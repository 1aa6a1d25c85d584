# the guard goes after leading `global` declarations (before them it would not compile)
total = 0


def add(item, items=[]):
    global total
    total += 1
    items.append(item)
    return items
