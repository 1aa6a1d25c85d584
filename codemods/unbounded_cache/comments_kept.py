# Comments inside the removed plumbing are kept
_cache = {}  # name -> length


def measure(name):
    # Try the cache first
    if name in _cache:
        return _cache[name]  # hit
    size = len(name)
    # remember it
    _cache[name] = size
    return size


def _keys_from_measure(path):
    with open(path) as f:
        for line in f:
            measure(*line.split())
