# a nested function uses the handle: it may run after any with block ends
def reader(path):
    f = open(path)

    def next_line():
        return f.readline()

    return next_line
