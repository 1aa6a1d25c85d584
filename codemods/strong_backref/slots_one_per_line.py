# Slots written one a line (with a comment): `"__weakref__",` gets a line of its own after the comment.
class Rule:
    def __init__(self, zone):
        self.zone = zone


class Zone:
    __slots__ = (
        "name",
        "rules",  # the rules in effect
    )

    def __init__(self, name):
        self.name = name
        self.rules = [Rule(self)]
