# a file handed to a class that closes it in its own `close()`, where the code never closes that object either:
# reported without a fix, naming the object to close
class Wrapper:
    def __init__(self, file):
        self.file = file

    def close(self):
        self.file.close()


def size(storage, path):
    f = open(path, "rb")
    w = Wrapper(f)
    return storage.save(path, w)


def stored(path):
    w = Wrapper(open(path))
    return w.file.name
