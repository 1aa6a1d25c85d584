# `(open(p).read())` split over lines: the parentheses that only wrapped the call chain go
def read(path):
    text = (open(path)
            .read())
    return text


def first(path):
    return (open(path)).readline()
