# `with contextlib.nullcontext(f) as raw:` gives `f` itself to `raw` and closes nothing: the file is still open after
# it (reported; the second name is not followed, so no fix).
import contextlib


def load(p):
    f = open(p)
    with contextlib.nullcontext(f) as raw:
        data = raw.read()
    return data
