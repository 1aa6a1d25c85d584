# `bus.add_listener(f)` hands the file to the bus, which owns it from there: no finding
def log_events(bus, path):
    sink = open(path, "a")
    bus.add_listener(sink)
