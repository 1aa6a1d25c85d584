# A private module-level set of callbacks: dead entries are discarded as the loop meets them.
_hooks = set()


def notify_all(value):
    for hook in _hooks:
        hook(value)


class Watcher:
    def __init__(self):
        self.seen = []
        _hooks.add(self.changed)

    def changed(self, value):
        self.seen.append(value)
