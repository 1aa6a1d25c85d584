# The registry's list is read outside its class (`bus._handlers`): pyfix cannot rewrite every use, so it reports
# with a hint.
class Bus:
    def __init__(self):
        self._handlers = []

    def connect(self, handler):
        self._handlers.append(handler)

    def fire(self):
        for handler in self._handlers:
            handler()


bus = Bus()


def count():
    return len(bus._handlers)


class Window:
    def __init__(self):
        bus.connect(self.redraw)

    def redraw(self):
        pass
