# CRLF line endings are kept in the inserted property.
class Cell:
    def __init__(self, sheet):
        self.sheet = sheet


class Sheet:
    def __init__(self):
        self.cells = [Cell(self)]
