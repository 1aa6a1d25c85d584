# a lambda's list grown on every call, not only while empty, is reported (a lambda has no body for a guard)
converters = {}


def install(cursor):
    conv = lambda x, l=[]: l.append(x) if l else cursor.fetchone()
    converters["ITER"] = conv
