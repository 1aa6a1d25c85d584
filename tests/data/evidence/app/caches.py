# unbounded-cache: `_prices` grows past the bound; `_rates` stays within it.
_prices = {}
_rates = {}


def price(quantity):
    if quantity in _prices:
        return _prices[quantity]
    value = round(10.0 * 0.99 ** min(quantity, 50), 2)
    _prices[quantity] = value
    return value


def rate(code):
    if code in _rates:
        return _rates[code]
    value = len(code) / 2
    _rates[code] = value
    return value


def load(path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            price(int(line))
            rate(line.strip())
