# pyfix-fixture: safe-only
# Nested functions and one-line bodies with keyword-only and collections defaults: each call must start empty.
import collections
import sys


def make_counter():
    def count(words, *, into=collections.Counter()): into.update(words); return into

    return count


count = make_counter()
print(count(["a", "b"])["a"])
print(count(["c"])["c"])

kept = count.__kwdefaults__["into"]
if kept:
    print(f"LEAK: the Counter default kept {sum(kept.values())} counts between calls", file=sys.stderr)
