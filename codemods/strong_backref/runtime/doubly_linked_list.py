# A doubly linked list: each pair of neighbours is a cycle, so a dropped list waits for the cyclic collector.
import gc
import sys
import weakref

gc.disable()


class Node:
    def __init__(self, value):
        self.value = value
        self.next = None
        self.prev = None


class LinkedList:
    def __init__(self):
        self.head = None
        self.tail = None

    def append(self, value):
        node = Node(value)
        if self.tail is None:
            self.head = self.tail = node
        else:
            node.prev = self.tail
            self.tail.next = node
            self.tail = node
        return node


items = LinkedList()
for v in "abc":
    items.append(v)
print("backwards:", items.tail.value, items.tail.prev.value, items.tail.prev.prev.value)
print("head.prev:", items.head.prev)
probe = weakref.ref(items.head.next)
del items
if probe() is not None:
    print("LEAK: the nodes outlived the list (freed only by the cyclic collector)", file=sys.stderr)
