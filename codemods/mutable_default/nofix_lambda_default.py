# a lambda default is reported but a lambda has no body to hold a guard
add = lambda item, items=[]: items.append(item) or items
