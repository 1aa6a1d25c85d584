# `logging.StreamHandler(f)` keeps the file and the logger keeps the handler: no fix
import logging


def log_to(path):
    stream = open(path, "w")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("app").addHandler(handler)
