# the default reads a name the body binds: inside the function it would mean the local
size = 3


def f(x, buf=[size]):
    size = len(x)
    buf.append(size)
    return buf
