# A dict cache on `self` lives and dies with the instance
class Resolver:
    def __init__(self):
        self._cache = {}

    def resolve(self, name):
        if name in self._cache:
            return self._cache[name]
        value = name.upper()
        self._cache[name] = value
        return value
