# a dict default read as a cache before it is written is a memo, whatever its name
def lookup(key, table={}):
    if key in table:
        return table[key]
    table[key] = key.upper()
    return table[key]
