# a memo keyed by a module's dotted name (the function hands the same key to the import system): one entry per
# module the program can find, like `sys.modules`, bounded by the installed code: no finding
import importlib.util
import sys

_modules = {}


def readmodule(module, path, inpackage=None):
    if inpackage is not None:
        fullmodule = "%s.%s" % (inpackage, module)
    else:
        fullmodule = module
    if fullmodule in _modules:
        return _modules[fullmodule]
    spec = importlib.util._find_spec_from_path(fullmodule, path + sys.path)
    tree = {"spec": spec}
    _modules[fullmodule] = tree
    return tree


def main():
    return readmodule(input(), [])
