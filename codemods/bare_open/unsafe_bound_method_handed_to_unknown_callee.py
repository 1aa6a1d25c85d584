# a bound method of the file handed to a callee pyfix cannot read, as a statement (`add("r", f.read)`,
# `ftp.retrbinary(cmd, f.write)`: `ftp` may not be ftplib's) or to one whose result is used in the block: the callee
# may keep it, so the fix is unsafe
def register(p, add):
    f = open(p)
    add("r", f.read)
    f.close()


def fetch(ftp, local):
    f = open(local, "wb")
    ftp.retrbinary("RETR x", f.write)
    f.close()
