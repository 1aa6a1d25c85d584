# a walrus in the default would bind inside the function instead of outside
def f(x=[(n := 3)]):
    x.append(1)
    return x
