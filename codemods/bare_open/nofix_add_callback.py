# `d.addCallback(cb, f)` uses the file when the deferred fires, later: no fix
def save_when_done(d, path, write):
    out = open(path, "wb")
    d.addCallback(write, out)
    return d
