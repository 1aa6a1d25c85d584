# A private module-level list of callbacks keeps every subscriber alive: register `WeakMethod`s, skip dead ones.
_listeners = []


def emit(event):
    for callback in _listeners:
        callback(event)


class Logger:
    def __init__(self):
        self.lines = []
        _listeners.append(self.on_event)

    def close(self):
        _listeners.remove(self.on_event)

    def on_event(self, event):
        self.lines.append(event)
