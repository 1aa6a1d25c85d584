# pyfix-fixture: safe-only
# without --unsafe-fixes only the safe default is fixed; the unsafe one stays reported
def make():
    return []


def f(a=[make()], b={}):
    a.append(1)
    b[1] = a
    return a, b
