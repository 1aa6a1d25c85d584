# a "seen" dict tested with `in` and written, whose hit is not returned, is not a memo: it just grows
def dedupe(items, seen={}):
    out = []
    for item in items:
        if item in seen:
            continue
        seen[item] = True
        out.append(item)
    return out
