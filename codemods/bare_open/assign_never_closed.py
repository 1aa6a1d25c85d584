# a handle never closed at all: the with block ends at its last use
def first_line(path):
    f = open(path, encoding="utf-8")
    line = f.readline()
    print(line.strip())
    return line
