# `bus.subscribe(topic, seen)` keeps the default as it was given and nothing grows it: an escape, reported without a fix
def watch(bus, topic, seen=[]):
    bus.subscribe(topic, seen)
    return len(seen)
