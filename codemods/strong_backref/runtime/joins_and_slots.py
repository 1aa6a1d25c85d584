# A child that joins its parent, an owner that sets itself on its items, and slotted classes on both sides.
import gc
import sys
import weakref

gc.disable()


class Panel:
    def __init__(self, name):
        self.name = name
        self.widgets = []


class Button:
    def __init__(self, panel, label):
        self.panel = panel
        self.label = label
        panel.widgets.append(self)


class MenuItem:
    def __init__(self, label):
        self.label = label
        self.menu = None


class Menu:
    def __init__(self, title):
        self.title = title
        self.items = []

    def add(self, item):
        item.menu = self
        self.items.append(item)


class Leaf:
    __slots__ = ("branch", "value")

    def __init__(self, branch, value):
        self.branch = branch
        self.value = value


class Branch:
    __slots__ = ("leaves", "name")

    def __init__(self, name):
        self.name = name
        self.leaves = []

    def __del__(self):
        freed.append(self.name)

    def grow(self, value):
        leaf = Leaf(self, value)
        self.leaves.append(leaf)
        return leaf


freed = []
panel = Panel("main")
ok = Button(panel, "OK")
menu = Menu("File")
menu.add(MenuItem("Open"))
branch = Branch("oak")
leaf = branch.grow(3)
print(ok.panel.name, [w.label for w in panel.widgets])
print(menu.items[0].menu.title, MenuItem("loose").menu)
print(leaf.branch.name, leaf.value, [l.value for l in branch.leaves])
probes = [weakref.ref(panel), weakref.ref(menu)]
del panel, ok, menu, branch, leaf
alive = [p() is not None for p in probes] + ["oak" not in freed]
if any(alive):
    print("LEAK: objects in cycles outlived their last reference:", alive, file=sys.stderr)
