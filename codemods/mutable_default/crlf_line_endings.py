# CRLF line endings are kept on every line pyfix writes
def add(item, items=[]):
    """Docstring."""
    items.append(item)
    return items


def ident(x={}): return x
