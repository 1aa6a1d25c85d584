# The registry already holds `weakref.WeakMethod`s: untouched.
import weakref

_listeners = []


class Logger:
    def __init__(self):
        _listeners.append(weakref.WeakMethod(self.on_event))

    def on_event(self, event):
        pass
