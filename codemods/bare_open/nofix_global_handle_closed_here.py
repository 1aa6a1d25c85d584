# a `global` handle this function closes itself, but not when `write()` raises: reported without a fix (a `with`
# would close it under the module's name too)
log = None


def rotate(path, line):
    global log
    log = open(path, "a")
    log.write(line)
    log.close()


current = None


def switch(path, line):
    global current
    f = open(path, "a")
    current = f
    current.write(line)
    current.close()
