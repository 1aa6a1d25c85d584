# `@property` over `@cache`: one `functools.cached_property` (call sites already read an attribute)
from functools import cache


class Config:
    def __init__(self, path):
        self.path = path

    @property
    @cache
    def text(self):
        return self.path.upper()
