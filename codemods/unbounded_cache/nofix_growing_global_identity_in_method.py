# a module-level table keyed by `id()` of an object the method reached (not a parameter itself: `frame.f_locals`),
# filled by methods called from elsewhere (a remote debugger's adapter): every object gets an entry, reported, no fix
dicttable = {}
tracebacktable = {}


class Adapter:
    def frame_locals(self, frame):
        d = frame.f_locals
        did = id(d)
        dicttable[did] = d
        return did

    def wrap_info(self, info):
        traceback = info[2]
        traceback_id = id(traceback)
        tracebacktable[traceback_id] = traceback
        return (info[0], info[1], traceback_id)

    def dict_item(self, did, key):
        return dicttable[did][key]
