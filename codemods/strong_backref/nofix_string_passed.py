# A string is passed where the owner goes: a weak reference cannot hold it, so no fix.
class Label:
    def __init__(self, owner):
        self.owner = owner


class Form:
    def __init__(self):
        self.labels = [Label(self)]


TITLE = Label("title")
