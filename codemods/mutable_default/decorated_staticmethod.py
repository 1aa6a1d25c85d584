# @staticmethod and @classmethod do not read the signature: the fix stays safe
class Tools:
    @staticmethod
    def merge(a, into={}):
        into.update(a)
        return into

    @classmethod
    def make(cls, parts=[]):
        parts.append(cls)
        return parts
