# The owner hands its own bound methods to tk (`text.bind(..., self.on_enter)`, `command=self.stop`): the Tcl
# interpreter keeps them, and the owner with them, until its window is destroyed. A link back adds no leak. No finding.
from tkinter import Button, Text


class Interpreter:
    def __init__(self, console):
        self.console = console

    def run(self, source):
        self.console.write(source)


class Shell:
    def __init__(self, root):
        self.text = text = Text(root)
        self.stop_button = Button(root, command=self.stop)
        text.bind("<Return>", self.on_enter)
        self.interp = Interpreter(self)

    def on_enter(self, event=None):
        self.interp.run(self.text.get("1.0", "end"))

    def stop(self):
        pass

    def write(self, s):
        self.text.insert("end", s)
