# a default stored on `self` and grown through it escapes the call: every instance shares it (so does a closure)
class Handler:
    def __init__(self, routes={}):
        self.routes = routes

    def add(self, path, view):
        self.routes[path] = view


def make_counter(hits=[]):
    def hit(x):
        hits.append(x)
        return len(hits)

    return hit
