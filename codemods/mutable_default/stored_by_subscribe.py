# `bus.subscribe(topic, seen)` keeps the default, like `other.append(seen)`: it leaks, and gets the same fix
def watch(bus, topic, seen=[]):
    bus.subscribe(topic, seen)
    return len(seen)
