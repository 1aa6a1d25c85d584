# `finish` cannot be resolved (an import cycle): treated as unknown, today's finding
from pkg.a import finish


def load(p):
    f = open(p)
    data = f.read()
    finish(f)
    return data
