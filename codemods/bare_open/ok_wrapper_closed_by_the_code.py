# a class of this module that keeps the file and closes it in its `close()` (`__exit__` calls it): where the code
# closes that object, uses it in `with` or returns it, the file is closed with it: no finding
class Wrapper:
    def __init__(self, file, name=None):
        self.file = file

    def close(self):
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def first_line(path):
    f = open(path)
    w = Wrapper(f, path)
    line = w.file.readline()
    w.close()
    return line


def managed(path):
    f = open(path)
    w = Wrapper(f)
    with w:
        return w.file.read()


def handed_up(path):
    return Wrapper(open(path))
