# opened in try, closed in else: nothing runs between the open and the close
def exists(path):
    try:
        f = open(path)
    except OSError:
        return False
    else:
        f.close()
    return True
