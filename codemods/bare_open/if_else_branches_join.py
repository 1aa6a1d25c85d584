# a handle bound in every branch of an `if` and used after it: `with f:` over the uses
def read(path, binary):
    if binary:
        f = open(path, "rb")
    elif path.endswith(".txt"):
        f = open(path, encoding="utf-8")
    else:
        f = open(path)
    data = f.read()
    f.close()
    return data
