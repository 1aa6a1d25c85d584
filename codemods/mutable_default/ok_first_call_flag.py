# a one-shot flag (`first=[1]`, emptied on the first call) never grows: no finding
def g(value, first=[1]):
    if first:
        del first[:]
        return "first"
    return value
