# `@cache` called only from other modules: pyfix cannot show its keys vary with data, so no finding
import functools


@functools.cache
def split_blueprint_path(name):
    out = [name]
    if "." in name:
        out.extend(split_blueprint_path(name.rpartition(".")[0]))
    return out
