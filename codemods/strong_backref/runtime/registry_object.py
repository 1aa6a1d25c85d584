# A registry object of the module's own class: a subscribed object is freed once dropped (its bound method was
# pinned before), a plain function still fires, and unsubscribe still finds the bound method.
import gc
import sys
import weakref

gc.disable()


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
    def __init__(self, name):
        self.name = name
        _bus.subscribe(self.on_event)

    def on_event(self, event):
        print(self.name, "got", event)


def shout(event):
    print("function got", event)


a = Logger("a")
b = Logger("b")
_bus.subscribe(shout)
_bus.subscribe(a.on_event)
_bus.publish("start")
_bus.unsubscribe(a.on_event)
_bus.publish("after unsubscribe")
probe = weakref.ref(b)
del b
if probe() is not None:
    print("LEAK: a logger outlived its last reference (pinned by the bus)", file=sys.stderr)
