# `self.focused_widget = self` on a public attribute: other code may set it to another widget, which a weak
# reference would drop. Reported without a fix.
class Toplevel:
    def __init__(self):
        self.focused_widget = self

    def wakeup(self):
        self.focused_widget.focus_set()

    def focus_set(self):
        pass
