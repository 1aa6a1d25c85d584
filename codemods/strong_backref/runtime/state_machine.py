# A parser that stores its current state as a bound method of itself, and an object that is its own attribute.
import gc
import sys
import weakref

gc.disable()


class Parser:
    def __init__(self):
        self.fields = []
        self.state = self.parse_header

    def feed(self, line):
        self.state(line)

    def close(self):
        self.fields.clear()

    def parse_header(self, line):
        self.fields.append(("header", line))
        self.state = self.parse_body

    def parse_body(self, line):
        self.fields.append(("body", line))


class Registry:
    def __init__(self):
        self.entries = {"a": 1}
        self._me = self


p = Parser()
for line in ["HEAD", "one", "two"]:
    p.feed(line)
print(p.fields, p.state.__name__)
r = Registry()
print("me is self:", r._me is r, r._me.entries)
probes = [weakref.ref(p), weakref.ref(r)]
del p, r
if any(probe() is not None for probe in probes):
    print("LEAK: a self-referencing object outlived its last reference", file=sys.stderr)
