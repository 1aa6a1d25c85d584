# open(p) alone as a statement (creates the file): with ...: pass
def touch(path):
    open(path, "a")  # create it if missing
    return path
