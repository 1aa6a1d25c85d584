# a bound method of the file used up where it stands (`ftp.retrbinary(cmd, f.write)`) or in names the block uses: fixed
import tokenize


def fetch(ftp, local):
    f = open(local, "wb")
    ftp.retrbinary("RETR x", f.write)
    f.close()


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
