# in a loop, the name is bound in every branch before its uses (another branch binds something else): no use is
# carried across iterations; the file is used after the `if` that opens it, so it is reported without a fix, saying so
import sys


def copy_all(names):
    for name in names:
        if name == "-":
            g = sys.stdout.buffer
        else:
            g = open(name + ".out", "wb")
        g.write(b"data")
        if g is not sys.stdout.buffer:
            g.close()
