# a method default that reads a class-body name: the method body cannot see it
class Config:
    DEFAULTS = ("a", "b")

    def keys(self, found=list(DEFAULTS)):
        found.append("c")
        return found
