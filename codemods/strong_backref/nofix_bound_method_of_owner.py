# The child also keeps a bound method of the owner: a weak `parent` would leave the cycle in place.
class Slider:
    def __init__(self, window):
        self.window = window
        self.on_change = window.redraw


class Window:
    def __init__(self):
        self.controls = [Slider(self)]

    def redraw(self):
        pass
