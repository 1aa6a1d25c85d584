# the close follows the open with only statements that cannot raise in ordinary use between: names, constants,
# attribute reads assigned to plain names, `addCleanup` with such arguments; no finding
import os
import socket
import tempfile


def scratch_name(self):
    t = tempfile.NamedTemporaryFile(delete=False)
    name = t.name
    self.addCleanup(os.unlink, name)
    t.close()
    return name


def free_port():
    s = socket.socket()
    family, kind = s.family, s.type
    s.close()
    return family, kind


def in_try(path):
    try:
        f = open(path, "w")
        opened = True
    except OSError:
        return False
    else:
        f.close()
    return opened
