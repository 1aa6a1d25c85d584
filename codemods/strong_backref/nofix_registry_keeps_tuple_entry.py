# The registry keeps each callback inside a tuple of its own (`self.untraced.append((var, callback))`): the reason
# says so, rather than that the argument is not kept. Reported without a fix.
class VarTrace:
    def __init__(self):
        self.untraced = []

    def add(self, var, callback):
        self.untraced.append((var, callback))
        return var


tracers = VarTrace()


class Page:
    def __init__(self, var):
        self.var = tracers.add(var, self.changed)

    def changed(self, *args):
        return args
