# a handle bound to a `global`/`nonlocal` name that its home does not keep: a global reopened in a loop, or that no
# code of the module closes; a nonlocal the enclosing function drops (not returned on every path); reported
# without a fix
log = None


def reopen_all(paths):
    global log
    for p in paths:
        log = open(p, "a")
        log.write("start\n")


def rotate(path):
    global log
    log = open(path, "a")


def write(line):
    log.write(line)


def count_lines(path):
    f = None

    def opener():
        nonlocal f
        f = open(path)

    opener()
    return sum(1 for _ in f)


def spool(chunks, limit):
    stream = None

    def write(s):
        nonlocal stream
        if stream is None:
            stream = open("/tmp/spool", "wb+")
        stream.write(s)

    for c in chunks:
        write(c)
    if limit and stream.tell() > limit:
        return None
    return stream
