# list(), dict(...), set() and bytearray() calls build shared values too
def collect(x, seen=set(), out=list(), opts=dict(verbose=False), buf=bytearray(b"ab")):
    seen.add(x)
    out.append(x)
    buf.extend(b"c")
    return seen, out, opts, buf
