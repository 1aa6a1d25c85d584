# a default that calls an unknown function would now call it on every call: unsafe
def load():
    print("loading")
    return 1


def f(x, seen=[load()]):
    seen.append(x)
    return seen
