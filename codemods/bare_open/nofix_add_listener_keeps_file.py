# `bus.add_listener(f)` registers the file to be used later, like `subscribe`: no fix
def log_events(bus, path):
    sink = open(path, "a")
    bus.add_listener(sink)
