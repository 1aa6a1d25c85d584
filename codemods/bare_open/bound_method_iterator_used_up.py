# an iterator that calls a method of the file used up where it stands (`"".join(...)`, `itertools.islice`), and a
# callback `ftplib` calls before it returns: fixed
import itertools


def text(p):
    f = open(p)
    return "".join(iter(f.readline, ""))


def head(p):
    f = open(p)
    return list(itertools.islice(iter(f.readline, ""), 1))


def fetch(ftp, local):
    f = open(local, "wb")
    ftp.retrbinary("RETR x", f.write)
    f.close()
