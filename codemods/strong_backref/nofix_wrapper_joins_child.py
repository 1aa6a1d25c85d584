# `self.widget = widget; widget.border = self`: a wrapper and what it wraps, one each way; neither is a container,
# so pyfix cannot tell which side callers hold, and makes neither weak.
class Widget:
    def __init__(self, text):
        self.text = text
        self.border = None


class Border:
    def __init__(self, widget, width=1):
        self.widget = widget
        self.width = width
        widget.border = self

    def draw(self):
        return "[" * self.width + self.widget.text + "]" * self.width
