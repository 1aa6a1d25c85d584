# a method cache the class empties itself (`self.m.cache_clear()`, `Cls.m.cache_clear()`) holds only current state
import functools


class Registry:
    def __init__(self):
        self.models = {}

    @functools.cache
    def get_models(self, include_auto=False):
        return [m for m in self.models.values() if include_auto or not m.auto]

    @functools.cache
    def get_label(self, name):
        return name.lower()

    def register(self, name, model):
        self.models[name] = model
        self.clear_cache()

    def clear_cache(self):
        self.get_models.cache_clear()
        Registry.get_label.cache_clear()
