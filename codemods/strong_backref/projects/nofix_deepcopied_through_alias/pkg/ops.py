# a node is deep-copied here (`from . import tree as t`): a copy's weak reference would refer to the original
import copy

from . import tree as t


def clone(name):
    node = t.Node(name, None)
    return copy.deepcopy(node)
