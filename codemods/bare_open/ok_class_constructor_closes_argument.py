# a class of this module whose constructor closes what it is given (here through a property setter it assigns):
# handing the file to it is the code's close, so nothing left open: no finding
class Response:
    def __init__(self, content=b""):
        self.content = content

    @property
    def content(self):
        return self._content

    @content.setter
    def content(self, value):
        self._content = value.read()
        if hasattr(value, "close"):
            value.close()


def respond(path):
    f = open(path, "rb")
    r = Response(f)
    return r.content
