# a handle bound to a `global` name (directly, or through `log = f`) only while that name holds nothing (`if not
# logfp:`, `if log is None:`), in no loop, where code of the module closes that name (`closelog()`, `stop()`): a
# file kept for the process, which the module owns; no finding
log = None
logfp = None


def start(path):
    global log
    if log is None:
        f = open(path, "a")
        f.write("start\n")
        log = f


def stop():
    log.close()


def initlog(path, enabled):
    global logfp
    if enabled and not logfp:
        try:
            logfp = open(path, "a", encoding="locale")
        except OSError:
            pass


def closelog():
    global logfp
    if logfp:
        logfp.close()
    logfp = None
