"""Runs the inventory app end to end in a scratch directory: `python3 -X dev examples/inventory/main.py`.
Before pyfix, -X dev prints ResourceWarnings for unclosed files, the reports bleed state between calls, the price
cache keeps every quote ever made, and a dropped warehouse is never freed (its shelves point back to it).
`main.py --load N` then runs N more rounds of orders, reports, warehouses and bad input (a scripted load for
`pyfix trace`: every leak grows with N)."""
import gc
import os
import sys
import tempfile
import weakref

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from inventory import config, reports, stock  # noqa: E402


def prices_kept():
    """How many quotes the price cache holds: the bounded `lru_cache` after pyfix, the module's memo dict before.
    The dict is not named here: pyfix leaves a dict that another module names alone."""
    info = getattr(reports.unit_price, "cache_info", None)
    if info is not None:
        return info().currsize
    return max(len(v) for k, v in vars(reports).items() if not k.startswith("__") and isinstance(v, dict))


def load(work, items, rounds):
    """Each round: a thousand new order sizes, the reports, a new item, a warehouse dropped, and three bad inputs
    (a corrupt settings file, an audit line that is not text, a record without fields) that the app rejects."""
    broken = os.path.join(work, "broken.json")
    with open(broken, "w", encoding="utf-8") as fh:
        fh.write("{not json")
    rejected = 0
    for r in range(rounds):
        for quantity in range(5001 + 1000 * r, 6001 + 1000 * r):
            reports.unit_price(quantity)
        reports.low_stock(items, 5)
        reports.summarize(items)
        stock.Item("crate %d" % r, r).tag("new")
        depot = stock.Warehouse("depot %d" % r)
        depot.add_shelf("B%d" % r)
        del depot
        bad_inputs = [
            lambda: config.load_settings(broken),
            lambda: reports.audit(os.path.join(work, "audit.log"), [None]),
            lambda: stock.write_items(work, [object()]),
        ]
        for bad in bad_inputs:
            try:
                bad()
            except (ValueError, TypeError, AttributeError):
                rejected += 1
    return rejected


def main(rounds=0):
    gc.disable()  # like a latency-sensitive service: only reference counting frees memory
    work = tempfile.mkdtemp(prefix="inventory-")
    settings_path = os.path.join(work, "settings.json")
    stock_path = os.path.join(work, "stock.csv")
    config.save_settings(settings_path, {"low_stock": 5})
    with open(os.path.join(work, "banner.txt"), "w", encoding="utf-8") as fh:
        fh.write("Inventory v1\n")
    with open(stock_path, "w", newline="") as fh:
        fh.write("name,quantity\napples,3\npears,12\nplums,1\n")

    settings = config.load_settings(settings_path)
    print(config.read_banner(os.path.join(work, "banner.txt")))
    items = stock.load_items(stock_path)
    print("records:", stock.count_records(stock_path))
    items[0].tag("fruit")
    print("tags of", items[1].name + ":", items[1].tags)
    print("low stock:", reports.low_stock(items, settings["low_stock"]))
    print("low stock again:", reports.low_stock(items, settings["low_stock"]))
    print("summary:", reports.summarize(items))
    print("summary again:", reports.summarize(items))
    orders_path = os.path.join(work, "orders.txt")
    with open(orders_path, "w", encoding="utf-8") as fh:
        fh.write("".join("%d\n" % q for q in range(1, 5001)))
    quotes = reports.quote_orders(orders_path)
    print("unit price for 1, 10, 60:", quotes[0], quotes[9], quotes[59])
    print("prices kept in memory:", prices_kept())
    reports.audit(os.path.join(work, "audit.log"), ["loaded %d items" % len(items)])
    out = stock.write_items(work, items)
    print("wrote", os.path.basename(out))
    depot = stock.Warehouse("depot")
    print("shelf:", depot.add_shelf("A1").describe())
    gone = weakref.ref(depot)
    del depot
    print("warehouse freed:", gone() is None)
    if rounds:
        rejected = load(work, items, rounds)
        print("load: %d rounds, %d bad inputs rejected, prices kept in memory: %d" % (rounds, rejected, prices_kept()))


if __name__ == "__main__":
    main(int(sys.argv[2]) if sys.argv[1:2] == ["--load"] else 0)
