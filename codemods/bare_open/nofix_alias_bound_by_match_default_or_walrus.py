# A name bound to the file by a `match` capture, a nested function's default or `:=` in a comprehension holds it:
# rebinding `f` to a wrapper of that name keeps using the first file, so no `with` may close it before.
import io


def by_match(p):
    f = open(p, "rb")
    match f:
        case raw:
            pass
    f = io.TextIOWrapper(raw, encoding="utf-8")
    return f.read()


def by_default(p):
    f = open(p, "rb")

    def get(x=f):
        return x

    f = io.TextIOWrapper(get(), encoding="utf-8")
    return f.read()


def by_walrus(p):
    f = open(p, "rb")
    [raw := x for x in (f,)]
    f = io.TextIOWrapper(raw, encoding="utf-8")
    return f.read()
