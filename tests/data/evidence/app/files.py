# bare-open: `leaky_read` leaves its file to the garbage collector; `quiet_read` ran and warned nothing.
def leaky_read(path):
    f = open(path)
    return f.read()


def quiet_read(path):
    f = open(path)
    data = f.read()
    f.close()
    return data
