# reads the file and closes it
def drain(f):
    with f:
        return f.read()
