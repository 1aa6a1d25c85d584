# an open in a class body: the with target would become a class attribute
class Defaults:
    text = open(__file__).read()
