# a dict default used as the globals of `exec` is a namespace kept across calls on purpose: reported only
def run(source, ns={}):
    exec(source, ns)
    return ns.get("result")
