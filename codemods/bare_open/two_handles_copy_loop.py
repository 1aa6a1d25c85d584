# two files opened one after the other (a copy loop): both get a `with`, nested, over two passes
def copy(src, dst):
    fin = open(src, "rb")
    fout = open(dst, "wb")
    while True:
        buf = fin.read(1024)
        if not buf:
            break
        fout.write(buf)
    fin.close()
    fout.close()
