# `_b=TABLE` only read: no finding; `registry=registry` binds the module object on purpose: reported, not copied
TABLE = {"n": "\n"}
registry = {}


def unescape(s, _b=TABLE):
    return _b.get(s, s)


def register(key, value, registry=registry):
    registry[key] = value
