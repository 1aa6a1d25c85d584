# a callee that registers the file (`subscribe`) keeps it for later: no fix
def follow(bus, path):
    sink = open(path, "a")
    bus.subscribe("events", sink)
