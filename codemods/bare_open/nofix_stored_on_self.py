# a handle stored on an object that never closes it
class Reader:
    def __init__(self, path):
        self.f = open(path)

    def line(self):
        return self.f.readline()
