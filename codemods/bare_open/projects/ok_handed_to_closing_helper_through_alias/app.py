# `u.drain(open(p))` (`import pkg.util as u`) closes what it is given: no finding
import pkg.util as u


def load(p):
    return u.drain(open(p))
