# a "previous value" cell (`last=[""]`) is overwritten in place and never grows: holds one value, no finding
def changed(value, last=[""]):
    if last[0] == value:
        return False
    last[0] = value
    return True
