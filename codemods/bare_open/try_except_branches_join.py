# a handle bound in a `try` and in its handler, used after it: `with f:` over the uses
def read_either(primary, fallback):
    try:
        f = open(primary)
    except FileNotFoundError:
        f = open(fallback)
    data = f.read()
    f.close()
    return data
