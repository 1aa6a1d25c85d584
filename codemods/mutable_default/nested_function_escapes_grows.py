# a nested function that is returned keeps its growing default alive past the outer call: still a finding
def make_collector():
    def collect(item, seen=[]):
        seen.append(item)
        return len(seen)

    return collect
