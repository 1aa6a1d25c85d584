# A registry filled by a decorator at import time is not a cache
_handlers = {}


def handler(name):
    def register(func):
        _handlers[name] = func
        return func

    return register


@handler("ping")
def ping():
    return "pong"


def dispatch(name):
    return _handlers[name]()
