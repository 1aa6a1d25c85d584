# a memo keyed by a string formatted from its arguments (`"%s.%s" % (pkg, name)`) grows with what callers ask for
_modules = {}


def _readmodule(module, inpackage=None):
    if inpackage is not None:
        fullmodule = "%s.%s" % (inpackage, module)
    else:
        fullmodule = module
    if fullmodule in _modules:
        return _modules[fullmodule]
    tree = {"name": fullmodule}
    _modules[fullmodule] = tree
    return tree


def describe(module):
    return _modules.get(module)
