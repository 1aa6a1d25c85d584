# a constructor of this module that closes what it is given (`Response(f)` reads it and closes it) is the code's own
# close: when a call that may raise comes first, a safe fix whose block ends at the constructor
import os


class Response:
    def __init__(self, content):
        self.body = content.read()
        content.close()


def respond(path):
    f = open(path, "rb")
    size = os.fstat(f.fileno()).st_size
    r = Response(f)
    return r, size
