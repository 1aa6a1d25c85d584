# opened as the whole body of a `try`: its handler runs only when the open failed, so the close there is of
# another object; the first file is left open if `load` raises: reported
import marshal


def cached(fn, make):
    try:
        fp = open(fn, "rb")
    except OSError:
        result = make()
        fp = open(fn, "wb")
        marshal.dump(result, fp)
        fp.close()
    else:
        result = marshal.load(fp)
        fp.close()
    return result
