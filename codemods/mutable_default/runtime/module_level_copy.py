# The module-level list passed as a default is changed by every call (fixed with --unsafe-fixes: a copy per call).
import sys

DEFAULT_TAGS = ["base"]


def tag(item, tags=DEFAULT_TAGS):
    tags.append(item)
    return tags


print(tag("x")[0], len(tag("y", [])))
print(tag("z")[:1])

if DEFAULT_TAGS != ["base"]:
    print(f"LEAK: DEFAULT_TAGS grew to {DEFAULT_TAGS}", file=sys.stderr)
