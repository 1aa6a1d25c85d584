# A table of what callers register (arguments stored as given) is bounded by what they register: not reported
_factories = {}


def register(name, factory):
    _factories[name.lower()] = factory


def create(name):
    return _factories[name.lower()]()
