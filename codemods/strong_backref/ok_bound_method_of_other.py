# A bound method of another object (`self.write = self.stream.write`) is no cycle: untouched.
class Writer:
    def __init__(self, stream):
        self.stream = stream
        self.write = self.stream.write
        self.flush = stream.flush
