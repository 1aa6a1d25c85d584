# a factory returning the file: the caller owns it
def open_log(path):
    return open(path, "a")
