# a module-level list passed as a default is shared with the module: the fix copies it, unsafely
DEFAULT_TAGS = ["a", "b"]


def tag(item, tags=DEFAULT_TAGS):
    tags.append(item)
    return tags
