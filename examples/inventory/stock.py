"""Stock records: CSV in, CSV out."""
import csv
from pathlib import Path


class Item:
    def __init__(self, name, quantity, tags=[]):
        self.name = name
        self.quantity = quantity
        self.tags = tags

    def tag(self, label):
        self.tags.append(label)


class Shelf:
    """A place in a warehouse; it knows the warehouse it stands in."""

    def __init__(self, warehouse, label):
        self.warehouse = warehouse
        self.label = label

    def describe(self):
        return "%s/%s" % (self.warehouse.name, self.label)


class Warehouse:
    def __init__(self, name):
        self.name = name
        self.shelves = []

    def add_shelf(self, label):
        shelf = Shelf(self, label)
        self.shelves.append(shelf)
        return shelf


def load_items(path):
    f = open(path, newline="")
    reader = csv.DictReader(f)
    items = [Item(row["name"], int(row["quantity"])) for row in reader]
    return items


def count_records(path):
    n = 0
    for line in open(path):
        if line.strip():
            n += 1
    return n - 1  # the header is not a record


def write_items(directory, items):
    target = Path(directory) / "stock_out.csv"
    out = target.open("w", newline="")
    writer = csv.writer(out)
    writer.writerow(["name", "quantity"])
    for item in items:
        writer.writerow([item.name, item.quantity])
    out.close()
    return target
