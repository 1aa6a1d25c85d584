# The child and the owner are tk widgets (`Frame` in a `Toplevel`): tkinter keeps them in cycles through `master`
# and `children` until `destroy()`, so `self.parent` adds none. No finding.
from tkinter import Frame, Toplevel


class KeysFrame(Frame):
    def __init__(self, parent):
        super().__init__(parent)
        self.parent = parent


class KeysWindow(Toplevel):
    def __init__(self):
        super().__init__()
        self.frame = KeysFrame(self)
