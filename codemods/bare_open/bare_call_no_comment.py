# open(p) alone as a statement without a trailing comment: `pass` goes on its own line
def create(path):
    open(path, "w")
