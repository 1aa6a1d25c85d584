# a bound method of the file used up where it stands (`iter(f.readline, "")`, `list(map(f.write, xs))`) or in names the
# block uses (`tokenize.generate_tokens(f.readline)`): fixed
import tokenize


def lines(p):
    f = open(p)
    out = [line for line in iter(f.readline, "")]
    f.close()
    return out


def save(p, xs):
    f = open(p, "w")
    list(map(f.write, xs))
    assert callable(f.write)
    f.close()


def names(p):
    f = open(p)
    tokens = tokenize.generate_tokens(f.readline)
    found = [t.string for t in tokens if t.type == tokenize.NAME]
    f.close()
    return found
