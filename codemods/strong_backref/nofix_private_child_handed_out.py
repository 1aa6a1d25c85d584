# The private child is built in the owner's `__init__`, but a function returns it without the owner: callers may
# hold only the child, so its back edge stays strong; reported without a fix.
class _Writer:
    def __init__(self, protocol):
        self._protocol = protocol


class _Protocol:
    def __init__(self):
        self._writer = _Writer(self)


def open_connection():
    protocol = _Protocol()
    return protocol._writer
