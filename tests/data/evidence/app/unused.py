# Never imported by the traced program: its finding is "not run".
def dump(path, text):
    out = open(path, "w")
    out.write(text)
