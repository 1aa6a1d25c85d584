# `self.engine = Engine(self)`: the engine's `owner` refers back to the car that keeps it.
class Engine:
    def __init__(self, owner):
        self.owner = owner
        self.running = False

    def start(self):
        self.running = True
        self.owner.log("engine started")


class Car:
    def __init__(self):
        self.events = []
        self.engine = Engine(self)

    def log(self, event):
        self.events.append(event)
