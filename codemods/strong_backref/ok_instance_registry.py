# A registry on the instance itself dies with it; a registry argument may be short-lived: untouched.
class Button:
    def __init__(self, bus):
        self.callbacks = []
        bus.subscribe(self.clicked)

    def clicked(self):
        for cb in self.callbacks:
            cb()
