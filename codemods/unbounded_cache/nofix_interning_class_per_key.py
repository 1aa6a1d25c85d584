# A memo that makes a class per key (an interning table: callers get that very class): reported without a fix
_classes = {}


def make_wrapper(base):
    if base in _classes:
        return _classes[base]

    class Wrapper(base):
        pass

    _classes[base] = Wrapper
    return Wrapper


def _keys_from_make_wrapper(path):
    with open(path) as f:
        for line in f:
            make_wrapper(*line.split())
