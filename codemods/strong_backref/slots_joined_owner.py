# The child joins a slotted owner (`panel.widgets.append(self)`): `__weakref__` joins the owner's slots, so the
# weak `panel` can refer to it.
class Panel:
    __slots__ = ("widgets",)

    def __init__(self):
        self.widgets = []


class Button:
    def __init__(self, panel, label):
        self.panel = panel
        self.label = label
        panel.widgets.append(self)
