# A class that keeps the file it is given and closes it only when its constructor fails does not take it over:
# the `with` covers every use of the object that reads it.
class Reader:
    def __init__(self, f):
        self.f = f
        try:
            self.header = f.read(4)
        except Exception:
            f.close()
            raise

    def rest(self):
        return self.f.read()


def load(path):
    f = open(path, "rb")
    r = Reader(f)
    return r.rest()
