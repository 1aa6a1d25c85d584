# The button hands its own bound method to its own `bind` (tk keeps it): the button stays pinned and in a cycle, so
# a weak `squeezer` would free nothing.
import tkinter as tk


class ExpandingButton(tk.Button):
    def __init__(self, master, squeezer):
        super().__init__(master)
        self.squeezer = squeezer
        self.bind("<Double-Button-1>", self.expand)

    def expand(self, event=None):
        self.squeezer.expandingbuttons.remove(self)


class Squeezer:
    def __init__(self, text):
        self.text = text
        self.expandingbuttons = []

    def squeeze(self):
        self.expandingbuttons.append(ExpandingButton(self.text, self))
