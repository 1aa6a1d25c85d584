# a body on the def line is expanded into a block to make room for the guard
def ident(x=[]): return x


class A:
    def get(self, d={}): return d  # the comment stays on the return line
