# a tree (through the package's re-export) is pickled here: a weak reference cannot be pickled, so no fix
import pickle

from pkg import Tree


def save(path):
    tree = Tree()
    tree.add("root")
    with open(path, "wb") as f:
        f.write(pickle.dumps(tree))
