# A global shrunk through another name (`handlers = _handlers; handlers.remove(h)`) does not only grow
import collections

_handlers = []
_recent = collections.deque(maxlen=50)


def add_handler(handler):
    _handlers.append(handler)
    _recent.append(handler)


def remove_handler(handler):
    handlers = _handlers
    handlers.remove(handler)
