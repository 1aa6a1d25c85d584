# a nested helper only called inside its function is rebuilt on every outer call, its default with it: no finding
def walk(paths):
    def seen(p, m={}):
        if p in m:
            return True
        m[p] = True
        return False

    return [p for p in paths if not seen(p)]
