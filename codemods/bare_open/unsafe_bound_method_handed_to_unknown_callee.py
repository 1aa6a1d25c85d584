# a bound method of the file handed to a callee pyfix cannot read, as a statement (`ftp.retrbinary(cmd, f.write)`,
# `add("r", f.read)`): the callee may keep it, so the fix is unsafe
def fetch(ftp, local):
    f = open(local, "wb")
    ftp.retrbinary("RETR x", f.write)
    f.close()
