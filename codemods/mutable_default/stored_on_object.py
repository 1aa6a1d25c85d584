# a default stored on `self` escapes the call: every instance shares it (also a closure that outlives the call)
class Handler:
    def __init__(self, routes={}):
        self.routes = routes


def make_counter(hits=[]):
    def hit(x):
        hits.append(x)
        return len(hits)

    return hit
