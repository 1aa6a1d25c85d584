# The child defines `__getstate__`: it is pickled, and a weak reference cannot be. Reported without a fix.
class Job:
    def __init__(self, queue):
        self.queue = queue

    def __getstate__(self):
        return dict(self.__dict__)


class Queue:
    def __init__(self):
        self.jobs = []

    def submit(self):
        self.jobs.append(Job(self))
