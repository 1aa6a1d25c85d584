# The child is a tk widget (`tk.Button`): widgets are already in cycles through `master` and `master.children`, so a
# link back to its owner adds no cycle of its own. No finding.
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
