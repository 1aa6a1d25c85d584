# A class-level declaration `parent: Folder` moves to the property (with the import it needs).
from __future__ import annotations


class Folder:
    parent: Folder | None

    def __init__(self, parent=None):
        self.parent = parent
        self.subfolders = []

    def mkdir(self):
        sub = Folder(self)
        self.subfolders.append(sub)
        return sub
