# The owner derives from `tuple`, whose instances cannot be weakly referenced: no fix.
class Point:
    def __init__(self, vector):
        self.vector = vector


class Vector(tuple):
    def points(self):
        self.cache = [Point(self)]
        return self.cache
