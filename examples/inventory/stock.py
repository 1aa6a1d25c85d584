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
