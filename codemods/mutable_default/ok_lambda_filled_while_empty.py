# a lambda's list grown only in the branch that runs while it is empty holds one entry at most: no finding
converters = {}


def install(cursor):
    conv = lambda x, l=[]: cursor.fetchone() if l else l.append(None)
    converters["ITER"] = conv
