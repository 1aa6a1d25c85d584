# one variable in a fixed template (`"AutoProxy[%s]" % typeid`) has no more values than the variable: no finding
_cache = {}


def make_proxy_type(name):
    if name in _cache:
        return _cache[name]
    proxy = type(name, (object,), {})
    _cache[name] = proxy
    return proxy


def auto_proxy(token):
    return make_proxy_type("AutoProxy[%s]" % token.typeid)
