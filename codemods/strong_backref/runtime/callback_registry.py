# A module-level list of bound methods keeps every subscriber alive, forever.
import gc
import sys
import weakref

gc.disable()
_listeners = []


def emit(event):
    for callback in _listeners:
        callback(event)


class Logger:
    def __init__(self, name):
        self.name = name
        _listeners.append(self.on_event)

    def close(self):
        _listeners.remove(self.on_event)

    def on_event(self, event):
        print(self.name, "got", event)


a = Logger("a")
b = Logger("b")
emit("start")
b.close()
emit("after close")
c = Logger("c")
emit("new subscriber")
probe = weakref.ref(a)
del a
if probe() is not None:
    print("LEAK: a logger outlived its last reference (pinned by the registry)", file=sys.stderr)
