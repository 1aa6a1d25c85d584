# The owner's class is unknown, but the child makes a tkinter variable with it as master (`StringVar(root)`), which
# only a widget can be: tk keeps the root until it is destroyed, and the engine with it. No finding.
from tkinter import BooleanVar, StringVar


def get(root):
    if not hasattr(root, "_engine"):
        root._engine = SearchEngine(root)
    return root._engine


class SearchEngine:
    def __init__(self, root):
        self.root = root
        self.pattern = StringVar(root, "")
        self.backwards = BooleanVar(root, False)

    def report_error(self, msg):
        self.root.bell()
