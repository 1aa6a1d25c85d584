# a module-level table keyed by `id()` of objects keeps every object it was given alive: reported, no fix
frametable = {}


def wrap_frame(frame):
    fid = id(frame)
    frametable[fid] = frame
    return fid
