# a comment between the try and the first use stays above the new `with f:` line
def count(path):
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return 0
    # count the bytes
    n = len(f.read())
    f.close()
    return n
