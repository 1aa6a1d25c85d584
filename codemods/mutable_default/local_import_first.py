# a leading local import of the module the default uses: the guard goes after it
import collections


def push(item, queue=collections.deque()):
    import collections

    queue.append(collections.Counter(item))
    return queue
