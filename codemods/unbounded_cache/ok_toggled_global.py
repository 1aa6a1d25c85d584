# `symmetric_difference_update` drops what both sets hold as well as adding: the global does not only grow
_toggled = set()


def toggle(keys):
    _toggled.symmetric_difference_update(keys)
