# statements sharing a line: pyfix does not split them
def read(path):
    f = open(path); data = f.read()
    f.close()
    return data
