# a module-level list named as a default and grown: the function changes the module's object on purpose, no fix
DEFAULT_TAGS = ["a", "b"]


def tag(item, tags=DEFAULT_TAGS):
    tags.append(item)
    return tags
