# opened only when the `or` gets that far: a with around the statement would always open it
def read(path, cached):
    return cached or open(path).read()
