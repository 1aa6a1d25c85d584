# A registration table guarded by `if k in C: raise` never reads its values back in that function: not a memo
_converters = {}


def register(name, factory):
    if name in _converters:
        raise ValueError(f"{name} is registered already")
    _converters[name] = factory()


def converter(name):
    return _converters[name]
