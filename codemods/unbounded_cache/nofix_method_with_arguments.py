# `@cache` on a method taking arguments keeps every `self` alive; no per-instance rewrite is offered
import functools


class Apps:
    @functools.cache
    def get_models(self, include_swapped=False):
        return [include_swapped]
