# FIXME: `_table[s] = s` (interning) grows with distinct keys but is read as a registration table: no finding today
_table = {}


def intern(s):
    if s in _table:
        return _table[s]
    _table[s] = s
    return s
