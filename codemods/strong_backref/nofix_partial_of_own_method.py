# The section keeps `functools.partial(self.get, ...)` of its own bound method: it stays in a cycle, so a weak
# `_parser` would free nothing.
import functools


class Section:
    def __init__(self, parser, name):
        self._parser = parser
        self._name = name
        for conv in ("int", "float"):
            setattr(self, "get" + conv, functools.partial(self.get, conv=conv))

    def get(self, option, conv=None):
        return self._parser.get(self._name, option)


class Parser:
    def __init__(self):
        self._sections = {}

    def add_section(self, name):
        self._sections[name] = Section(self, name)

    def get(self, section, option):
        return option
