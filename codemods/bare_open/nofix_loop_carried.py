# the handle from one iteration is closed in the next: the loop carries it
def rotate(paths):
    f = None
    for p in paths:
        if f:
            f.close()
        f = open(p, "a")
        f.write("x")
