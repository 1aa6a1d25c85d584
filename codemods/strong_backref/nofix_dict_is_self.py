# `self.__dict__ = self`, the attribute-dict idiom: a deliberate self-cycle, reported without a fix.
class AttrDict(dict):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__ = self
