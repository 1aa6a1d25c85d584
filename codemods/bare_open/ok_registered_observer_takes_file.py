# a callee that registers the file (`subscribe`) owns it from there: no finding
def follow(bus, path):
    sink = open(path, "a")
    bus.subscribe("events", sink)
