# the handle bound to a `global`/`nonlocal` name (`log = f`, `stream = f`): the object outlives the function through
# it, so a `with` would close it under that name; reported without a fix
import io


def outer(data):
    stream = io.BytesIO()

    def write(s):
        nonlocal stream
        f = open("x", "wb")
        f.write(s)
        stream = f

    write(data)
    return stream


log = None


def start(path):
    global log
    f = open(path, "a")
    f.write("start\n")
    log = f
