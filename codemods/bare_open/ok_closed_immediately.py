# opened and closed at once: nothing can raise in between
def touch(path):
    open(path, "a").close()
    f = open(path, "a")
    f.close()
