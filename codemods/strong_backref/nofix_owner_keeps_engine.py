# `self.engine = Engine(self)`: one engine in a plain attribute; callers may hold just the engine, so `owner` stays strong.
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
