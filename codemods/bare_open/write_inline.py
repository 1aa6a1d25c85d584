# open(p, "w").write(s): the write gets its own with block
def save(path, text):
    open(path, "w").write(text)
