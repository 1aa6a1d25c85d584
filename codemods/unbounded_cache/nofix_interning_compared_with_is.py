# A memo whose result callers compare with `is`: identity is the point, no fix
_tokens = {}


def token(name):
    if name in _tokens:
        return _tokens[name]
    value = object()
    _tokens[name] = value
    return value


def is_token(t, name):
    return t is token(name)


def _keys_from_token(path):
    with open(path) as f:
        for line in f:
            token(*line.split())
