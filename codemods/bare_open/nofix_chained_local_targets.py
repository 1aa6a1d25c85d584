# a chained assignment to two local names: reported without a fix (pyfix follows one name)
def save(path, data):
    opened = f = open(path, "wb")
    f.write(data)
    return opened.name
