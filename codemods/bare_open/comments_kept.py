# comments on the open line, inside the block and after close() survive
def copy(src, dst):
    f = open(src)  # the source
    # read it all at once
    text = f.read()
    f.close()  # done with it
    with open(dst, "w") as out:
        out.write(text)
