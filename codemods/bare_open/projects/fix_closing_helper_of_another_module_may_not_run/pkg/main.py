# A helper of another module that is a generator closes nothing when called; a name imported twice (`try`/`except
# ImportError`) may be either function: both are unknown callees (unsafe fixes), not the code's own close.
try:
    from .fast import close_it
except ImportError:
    from .helpers import close_it
from .helpers import close_later


def probe(p):
    close_it(open(p))
    return True


def probe_later(p):
    f = open(p)
    close_later(f)
    return True
