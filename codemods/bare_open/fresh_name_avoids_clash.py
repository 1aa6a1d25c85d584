# the function already uses `f`: the new with target gets another name
def process(path, f):
    text = open(path).read()
    return f(text)
