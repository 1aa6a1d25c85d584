# `d.addCallback(cb, f)` hands the file to the deferred, which owns it from there: no finding
def save_when_done(d, path, write):
    out = open(path, "wb")
    d.addCallback(write, out)
    return d
