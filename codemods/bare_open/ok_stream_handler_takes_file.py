# `logging.StreamHandler(f)` owns the file and the logger keeps the handler: no finding
import logging


def log_to(path):
    stream = open(path, "w")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("app").addHandler(handler)
