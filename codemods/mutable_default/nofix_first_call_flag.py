# a one-shot flag (`first=[1]`, emptied on the first call) is state kept on purpose: reported, not rewritten
def g(value, first=[1]):
    if first:
        del first[:]
        return "first"
    return value
