# Every `Manager` is made at module level (`manager = Manager()`): the owner lives as long as the program, so the
# loggers' link back to it keeps nothing alive that would otherwise be freed: no finding.
class Logger:
    def __init__(self, name, manager):
        self.name = name
        self.manager = manager


class Manager:
    def __init__(self):
        self.loggers = {}

    def get(self, name):
        if name not in self.loggers:
            self.loggers[name] = Logger(name, self)
        return self.loggers[name]


manager = Manager()
