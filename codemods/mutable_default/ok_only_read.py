# defaults that are only read (looked up, iterated, tested, copied) never change: nothing leaks, no finding
def lookup(key, table={}):
    return table.get(key, key)


def render(parts, seps=[", ", "; "], extra={}):
    out = seps[0].join(parts)
    for k in sorted(extra):
        out += f" {k}={extra[k]}"
    return out if extra else out.upper()


def build(name, attrib={}):
    element = {"name": name}
    element.update(attrib)
    return element
