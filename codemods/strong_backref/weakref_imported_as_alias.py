# `import weakref as wr` already there: the fix uses `wr`, adds no import.
import weakref as wr

_cache = wr.WeakValueDictionary()


class Cursor:
    def __init__(self, conn):
        self.conn = conn


class Connection:
    def __init__(self):
        self.cursors = []

    def cursor(self):
        cur = Cursor(self)
        self.cursors.append(cur)
        return cur
