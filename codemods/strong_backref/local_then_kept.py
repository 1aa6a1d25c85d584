# The child is bound to a local first, then kept: `c = Column(self)` ... `self.columns[name] = c`.
class Column:
    def __init__(self, table, name):
        self.table = table
        self.name = name


class Table:
    def __init__(self, names):
        self.columns = {}
        for name in names:
            c = Column(self, name)
            self.columns[name] = c
        self.rows = [Column(self, "row%d" % i) for i in range(2)]
