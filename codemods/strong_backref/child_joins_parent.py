# The child adds itself to the parent it stores: `parent.widgets.append(self)`.
class Panel:
    def __init__(self):
        self.widgets = []


class Button:
    def __init__(self, panel, label):
        self.panel = panel
        self.label = label
        panel.widgets.append(self)
