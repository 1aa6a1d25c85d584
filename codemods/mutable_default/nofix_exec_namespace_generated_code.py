# an `exec` namespace fed code the function builds from data grows with the data: reported only
def _define(values, _ns={}):
    for i, v in enumerate(values):
        exec(f"v{i} = {v!r}", _ns)
    return len(_ns)
