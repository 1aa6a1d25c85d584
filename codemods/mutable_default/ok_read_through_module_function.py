# a default handed to functions of the module that only read it (tkinter's `cnf={}`): no finding
def _merge(cnfs):
    if isinstance(cnfs, dict):
        return cnfs
    merged = {}
    for c in cnfs:
        merged.update(c)
    return merged


class Widget:
    def _options(self, cnf, kw=None):
        cnf = _merge(cnf)
        return tuple(f"-{k}" for k in cnf.items())

    def configure(self, cnf={}, **kw):
        return self._options(cnf, kw)

    def grid(self, cnf={}, **kw):
        options = self._options(_merge(cnf))
        return len(options)
