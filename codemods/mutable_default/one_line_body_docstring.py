# a one-line body with a docstring: the docstring stays first, the guard follows it
def ident(x=[]): "Return x."; return x
