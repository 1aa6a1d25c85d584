# `x = classmethod(x)` later in the class body: the cache is keyed on classes and pins no instance, no finding
import functools


class RegisterLookupMixin:
    @functools.cache
    def get_class_lookups(cls):
        return dict(cls.__dict__.get("class_lookups", {}))

    get_class_lookups = classmethod(get_class_lookups)
