# mutable-default: `remember`'s default grows at runtime; `label`'s stays empty.
def remember(item, seen=[]):
    seen.append(item)
    return len(seen)


def label(name, extra={}):
    extra.setdefault("x", 1) if name == "never" else None
    return name
