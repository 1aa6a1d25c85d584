# Made only by other modules, and `__init__` keeps the object it is given (`self.editwin = editwin`, used as
# `self.editwin.text`): the maker likely keeps it in another cycle, so a weak self-reference may free nothing.
class Calltip:
    def __init__(self, editwin):
        self.editwin = editwin
        self._make_window = self._make_tk_window

    def _make_tk_window(self):
        return self.editwin.text

    def open(self):
        return self._make_window

    def close(self):
        self.editwin.text = None
