"""Reports: low-stock warnings and an audit log."""


def low_stock(items, threshold, found=[]):
    for item in items:
        if item.quantity < threshold:
            found.append(item.name)
    return found


def summarize(items, totals={}):
    """Total quantity per first letter."""
    for item in items:
        key = item.name[0].upper()
        totals[key] = totals.get(key, 0) + item.quantity
    return totals


def audit(path, lines):
    log = open(path, "a")
    for line in lines:
        log.write(line + "\n")
    log.close()
