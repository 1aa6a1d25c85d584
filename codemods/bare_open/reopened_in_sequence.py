# the same name reopened: each binding gets its own with block
def roundtrip(path):
    f = open(path, "w")
    f.write("spam")
    f.close()
    f = open(path)
    data = f.read()
    f.close()
    return data
