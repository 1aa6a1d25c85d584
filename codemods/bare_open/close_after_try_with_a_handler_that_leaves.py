# a `try` between the open and the close with a catch-all `except Exception: pass`, but another handler that
# returns, raises or does something: that path skips the close; reported and fixed
import json


def save(path, obj, log):
    f = open(path, "w")
    try:
        json.dump(obj, f)
    except TypeError:
        log("not serialisable")
        return False
    except Exception:
        pass
    f.close()
    return True


def write_or_raise(path):
    f = open(path, "w")
    try:
        f.write("x")
    except UnicodeError:
        raise
    except:
        pass
    f.close()
