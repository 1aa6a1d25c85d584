# the tree class imported as `T` and pickled: still seen under the other name, no fix
import pickle

from pkg.tree import Tree as T


def snapshot(f):
    pickle.dump(T(), f)
