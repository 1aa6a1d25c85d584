# a nested default that reads the enclosing function's variable reads it at call time: unsafe
def outer(size):
    def inner(item, buf=[size]):
        buf.append(item)
        return buf

    return inner
