# a file opened to create it and never used: an empty with block
def touch(path):
    f = open(path, "a")
    print("touched", path)
