# Helpers: a generator that closes only when it runs, and the fallback of a twice-imported name.
def close_later(f):
    # A generator: calling it runs nothing, so the file is not closed.
    f.close()
    yield


def close_it(f):
    f.close()
