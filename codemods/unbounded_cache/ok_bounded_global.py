# A module-level container with a visible bound, or one that is cleared, does not only grow
_recent = []
_seen = set()


def remember(item):
    if len(_recent) < 100:
        _recent.append(item)


def mark(key):
    _seen.add(key)


def reset():
    _seen.clear()
