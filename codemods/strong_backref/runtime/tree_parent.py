# A tree whose children keep their parent: without the cyclic collector, a dropped tree is never freed.
import gc
import sys
import weakref

gc.disable()


class Node:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.children = []

    def add(self, name):
        child = Node(name, self)
        self.children.append(child)
        return child

    def path(self):
        return self.name if self.parent is None else self.parent.path() + "/" + self.name


root = Node("root")
leaf = root.add("usr").add("lib")
print("path:", leaf.path())
print("parent of lib:", leaf.parent.name)
print("root has parent:", root.parent)
leaf.parent = root
print("re-parented:", leaf.path())
probe = weakref.ref(root)
del root, leaf
if probe() is not None:
    print("LEAK: the tree outlived its last reference (freed only by the cyclic collector)", file=sys.stderr)
