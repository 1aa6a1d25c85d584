# `del self.parent`: a property without a deleter would break it; reported without a fix.
class Tab:
    def __init__(self, parent):
        self.parent = parent

    def reparent(self):
        del self.parent


class TabBar:
    def __init__(self):
        self.tabs = [Tab(self)]
