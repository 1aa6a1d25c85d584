# The owner hands tk its bound methods but destroys its own window in close(): tk lets go then, and the
# owner/child pair lives on as a cycle only the collector frees. Reported (without a fix).
from tkinter import Button, Toplevel


class Engine:
    def __init__(self, gui):
        self.gui = gui


class Debugger:
    def __init__(self, root):
        self.top = Toplevel(root)
        self.go_button = Button(self.top, command=self.go)
        self.engine = Engine(self)

    def go(self):
        pass

    def close(self):
        self.top.destroy()
