# `record` cannot be resolved (an import cycle): an unseen callee, so today's rule, reported without a fix
from pkg.a import record


def track(x, seen=[]):
    seen.append(x)
    record(seen)
    return len(seen)
