# constructors imported by name: `from collections import deque`
from collections import deque


def push(item, queue=deque()):
    queue.append(item)
    return queue
