# a default used as state on purpose (a "first call" flag) is rewritten: the state no longer carries over
def g(value, first=[1]):
    if first:
        del first[:]
        return "first"
    return value
