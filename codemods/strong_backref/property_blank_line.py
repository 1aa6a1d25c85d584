# The method that stores the attribute is followed by another without a blank line: the property still ends with
# exactly one blank line before it.
class Column:
    def __init__(self, table):
        self.table = table
    def name(self):
        return "c"


class Table:
    def __init__(self):
        self.columns = [Column(self)]
