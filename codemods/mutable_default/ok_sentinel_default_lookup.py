# a default list only handed as a lookup's fallback and compared with `is` is a sentinel: no finding
def deepcopy(x, memo=None, _nil=[]):
    if memo is None:
        memo = {}
    y = memo.get(id(x), _nil)
    if y is not _nil:
        return y
    y = list(x)
    memo[id(x)] = y
    return y
