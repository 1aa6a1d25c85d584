# keyword-only parameters get a guard like any other
def send(msg, *, retries=3, log=[]):
    log.append(msg)
    return log
