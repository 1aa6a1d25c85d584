# pickles a dict of names, not a tree or a node: no reason to refuse the fix
import pickle

from .tree import Tree


def names(tree: Tree):
    return pickle.dumps({"names": [n.name for n in tree.nodes]})
