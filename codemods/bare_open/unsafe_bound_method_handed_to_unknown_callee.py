# a bound method of the file handed to a callee pyfix cannot read, as a statement (`add("r", f.read)`,
# `HOOKS.extend([f.write])`): the callee may keep it, so the fix is unsafe
def register(p, add):
    f = open(p)
    add("r", f.read)
    f.close()
