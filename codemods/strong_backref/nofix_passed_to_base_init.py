# The child passes its parent on to the base class (tkinter keeps it as `master`): a weak `parent` would leave the
# cycle in place. Reported without a fix.
from tkinter import Frame, Toplevel


class KeysFrame(Frame):
    def __init__(self, parent):
        super().__init__(parent)
        self.parent = parent


class KeysWindow(Toplevel):
    def __init__(self):
        super().__init__()
        self.frame = KeysFrame(self)
