# `parent.widgets.extend([self])` keeps the child like `append(self)`: `panel` becomes weak
class Panel:
    def __init__(self):
        self.widgets = []


class Button:
    def __init__(self, panel, label):
        self.panel = panel
        self.label = label
        panel.widgets.extend([self])
