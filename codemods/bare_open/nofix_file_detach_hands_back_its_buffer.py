# a text file's `detach()` hands back its buffer, which still holds the descriptor: reported
def raw_bytes(path):
    b = open(path).detach()
    return b.read()
