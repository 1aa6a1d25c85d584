# after `from os import *`, `open` is `os.open` (it returns a descriptor, not a file): not the builtin
from os import *


def first_byte(path):
    fd = open(path, O_RDONLY)
    data = read(fd, 1)
    close(fd)
    return data
