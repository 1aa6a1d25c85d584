"""Reports: low-stock warnings, prices and an audit log."""


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


_price_cache = {}


def unit_price(quantity):
    """Bulk discount: the price of one item in an order of `quantity` items."""
    if quantity in _price_cache:
        return _price_cache[quantity]
    price = round(10.0 * 0.99 ** min(quantity, 50), 2)
    _price_cache[quantity] = price
    return price


def quote_orders(path):
    """The unit price of every order in a file of quantities, one per line."""
    prices = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            prices.append(unit_price(int(line)))
    return prices


def audit(path, lines):
    log = open(path, "a")
    for line in lines:
        log.write(line + "\n")
    log.close()
