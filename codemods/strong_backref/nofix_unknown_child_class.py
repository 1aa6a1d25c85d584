# `child.owner = self` for a child whose class is not in this module: reported without a fix.
from widgets import Widget


class Dialog:
    def __init__(self):
        self.children = []
        ok = Widget("OK")
        ok.owner = self
        self.children.append(ok)
