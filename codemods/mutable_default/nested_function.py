# a nested function's default is rebuilt inside the nested function
def outer():
    def inner(item, acc=[]):
        acc.append(item)
        return acc

    return inner
