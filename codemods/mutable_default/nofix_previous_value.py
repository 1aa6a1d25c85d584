# a "previous value" cell (`last=[""]`) is overwritten in place and never grows: state on purpose, reported only
def changed(value, last=[""]):
    if last[0] == value:
        return False
    last[0] = value
    return True
