# a dict looked up, written, and whose hit is returned is a memo: left to unbounded-cache, not reported
def lookup(key, table={}):
    if key in table:
        return table[key]
    table[key] = key.upper()
    return table[key]
