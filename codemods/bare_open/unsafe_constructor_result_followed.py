# a handler built on the handle keeps it: the block covers every use of the handler
import logging


def log_once(path, message):
    stream = open(path, "a")
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("once")
    logger.addHandler(handler)
    logger.warning(message)
    logger.removeHandler(handler)
    stream.close()
