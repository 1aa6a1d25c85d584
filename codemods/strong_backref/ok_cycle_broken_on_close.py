# The class breaks the cycle itself when its use ends (`destroy()` sets `initial_focus = None`): no finding.
class Dialog:
    def __init__(self, body):
        self.initial_focus = body
        if self.initial_focus is None:
            self._initial_focus = self

    def destroy(self):
        self._initial_focus = None


class Drag:
    def __init__(self, root):
        root._drag = self
        self._root = root
        self._items = [root]

    def finish(self):
        del self._root._drag
        self._root = None


def start(root):
    return Dialog(root), Drag(root)
