# `f.close()` set off by blank lines on both sides: removing it leaves one blank line after the block, not two
def copy(src, dst):
    f = open(src)
    data = f.read()

    f.close()

    with open(dst, "w") as out:
        out.write(data)
