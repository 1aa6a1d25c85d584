# a class of this module that keeps the file and closes it in its `close()`: where the code closes that object or
# returns it (also from a lambda), the file is closed with it: no finding
class Wrapper:
    def __init__(self, file, name=None):
        self.file = file

    def close(self):
        self.file.close()


def first_line(path):
    f = open(path)
    w = Wrapper(f, path)
    line = w.file.readline()
    w.close()
    return line


def handed_up(path):
    return Wrapper(open(path))


urlpatterns = [("file/", lambda request: Wrapper(open(__file__, "rb")))]
