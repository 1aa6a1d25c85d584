# The owner keeps its children in a `weakref.WeakSet`: already leak-free, untouched.
import weakref


class Observer:
    def __init__(self, subject):
        self.subject = subject


class Subject:
    def __init__(self):
        self.observers = weakref.WeakSet()

    def attach(self):
        obs = Observer(self)
        self.observers.add(obs)
        return obs
