# `_b=TABLE` / `registry=registry` bind the module's object to a local on purpose: reported, not copied
TABLE = {"n": "\n"}
registry = {}


def unescape(s, _b=TABLE):
    return _b.get(s, s)


def finalize(key, registry=registry):
    del registry[key]
