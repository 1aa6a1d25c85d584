# `self.events.bind(name, self.on_x)` in a module that does not use tkinter is not tk's `bind`: nothing shows who
# keeps the owner, so the pair is still reported (the owner keeps its engine in a plain attribute: no fix).
class Engine:
    def __init__(self, shell):
        self.shell = shell

    def run(self, source):
        self.shell.write(source)


class Shell:
    def __init__(self, events):
        self.events = events
        self.events.bind("enter", self.on_enter)
        self.engine = Engine(self)

    def on_enter(self, source):
        self.engine.run(source)

    def write(self, s):
        print(s)
