# the body already tests the parameter against None: callers passing None would change meaning
def f(items=[]):
    if items is None:
        return "none"
    items.append(1)
    return items
