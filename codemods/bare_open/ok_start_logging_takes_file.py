# `log.startLogging(f)` keeps the file for the rest of the process, and owns it: no finding
from twisted.python import log


def main(path):
    logfile = open(path, "a")
    log.startLogging(logfile)
    log.msg("started")
