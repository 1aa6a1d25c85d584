# keeps what it is given in a module-level list
_all = []


def register(handlers):
    _all.append(handlers)
