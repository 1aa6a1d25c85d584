# Every comment on a removed multi-line `close()` stays, at the block's indentation
def head(path):
    f = open(path)
    first = f.readline()
    f.close(  # no arguments
    )  # done
    return first
