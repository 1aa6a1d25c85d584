# The owner drops the child in `close()`, which callers may never call (only the end of a connection, which the
# framework always signals, counts as the normal path): the cycle is reported.
class Mapping:
    def __init__(self, selector):
        self._selector = selector

    def __len__(self):
        return len(self._selector._fd_to_key)


class Selector:
    def __init__(self):
        self._fd_to_key = {}
        self._map = Mapping(self)

    def close(self):
        self._map = None
