# `parent.widgets.extend(self)` keeps what `self` iterates over, not `self`: no cycle
class Panel:
    def __init__(self):
        self.widgets = []


class Group:
    def __init__(self, panel, buttons):
        self.panel = panel
        self.buttons = list(buttons)
        panel.widgets.extend(self)

    def __iter__(self):
        return iter(self.buttons)
