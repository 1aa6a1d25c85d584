# positional-only parameters (before `/`) get a guard like any other
def send(msg, log=[], /, retries=3):
    log.append(msg)
    return log
