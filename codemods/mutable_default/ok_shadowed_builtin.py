# `list` rebound at module level is not the builtin: pyfix cannot tell what it builds
def list():
    return ()


def f(x=list()):
    return x
