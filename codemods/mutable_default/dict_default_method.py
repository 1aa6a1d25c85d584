# dict default in a method: the guard goes at the top of the method body
class Registry:
    def register(self, name, options={}):
        options["name"] = name
        return options
