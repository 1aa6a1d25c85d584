# a module name declared `global` but never assigned in that function is still bound once: safe
LIMIT = 3


def show():
    global LIMIT
    return LIMIT


def take(x, buf=[LIMIT]):
    buf.append(x)
    return buf
