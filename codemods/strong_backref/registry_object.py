# A registry object of the module's own class (`_bus.subscribe(self.on_event)`): the class keeps bound methods as
# `WeakMethod`s (functions as they are), finds them again to remove or look up, and skips dead ones when publishing.
class EventBus:
    def __init__(self):
        self._subscribers = []

    def subscribe(self, callback):
        if callback not in self._subscribers:
            self._subscribers.append(callback)

    def unsubscribe(self, callback):
        self._subscribers.remove(callback)

    def publish(self, event):
        for callback in self._subscribers:
            callback(event)


_bus = EventBus()


class Logger:
    def __init__(self):
        self.lines = []
        _bus.subscribe(self.on_event)

    def on_event(self, event):
        self.lines.append(event)
