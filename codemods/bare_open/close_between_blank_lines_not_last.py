# `fin.close()` set off by blank lines inside the block (`fout` is closed after it): one blank line stays, not two
def copy(a, b):
    fin = open(a)
    fout = open(b, "w")
    fout.write(fin.read())

    fin.close()

    fout.close()
