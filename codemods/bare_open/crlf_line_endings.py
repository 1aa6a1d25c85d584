# a CRLF file: new lines use CRLF too
def read(path):
    f = open(path)
    data = f.read()
    f.close()
    return data
