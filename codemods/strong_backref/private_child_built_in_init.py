# A private child built only in the owner's `__init__` with `self` (`self._map = _Mapping(self)`), handed out only
# by the owner's methods: callers made and hold the owner, so the child's back edge becomes weak.
class _Mapping:
    def __init__(self, selector):
        self._selector = selector

    def __len__(self):
        return len(self._selector._fd_to_key)


class Selector:
    def __init__(self):
        self._fd_to_key = {}
        self._map = _Mapping(self)

    def get_map(self):
        return self._map
