# The owner sets itself on an item it keeps: `item.menu = self` with `self.items.append(item)`.
class MenuItem:
    def __init__(self, label):
        self.label = label
        self.menu = None


class Menu:
    def __init__(self):
        self.items = []

    def add(self, item):
        item.menu = self
        self.items.append(item)
