# a default handed to an inherited `__init__` that only reads it (tkinter's Button -> Widget -> BaseWidget): no finding
class BaseWidget:
    def __init__(self, master, name, cnf={}, kw={}):
        self.name = name
        self.options = [f"-{k}={v}" for k, v in cnf.items()]


class Widget(BaseWidget):
    pass


class Unrelated:
    def __init__(self, master, name, cnf=None):
        if cnf is None:
            cnf = {}
        self.cnf = cnf


class Button(Widget):
    def __init__(self, master=None, cnf={}, **kw):
        Widget.__init__(self, master, "button", cnf, kw)
