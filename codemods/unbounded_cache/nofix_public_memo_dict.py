# a public module-level memo dict is an attribute of the module: the fix would delete it, so it is reported only
prop_cache = {}


def make_property(name):
    try:
        return prop_cache[name]
    except KeyError:
        prop_cache[name] = result = property(lambda self: getattr(self, name))
        return result


def _props(path):
    with open(path) as f:
        for line in f:
            make_property(line.strip())
