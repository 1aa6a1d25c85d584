# `f` is bound to a second file before the first is closed: the `f.close()` closes the second one, so the first is
# never closed (the message says so); both get a `with`
def copy(a, b):
    f = open(a)
    data = f.read()
    f = open(b, "w")
    f.write(data)
    f.close()
