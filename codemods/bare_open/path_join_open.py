# Path.open on a path built with `/` and with_suffix(): still a pathlib.Path
import pathlib


def save(directory, name, text):
    target = (pathlib.Path(directory) / name).with_suffix(".txt")
    out = target.open("w")
    out.write(text)
    out.close()
    return target
