# A cache whose result a caller unregisters by identity: after an eviction it would get a new object, no fix
import functools


class Observer:
    def __init__(self, key):
        self.key = key


@functools.cache
def observer_for(key):
    return Observer(key)


def stop(bus, key):
    bus.unregister(observer_for(key))


def _keys_from_observer_for(path):
    with open(path) as f:
        for line in f:
            observer_for(*line.split())
