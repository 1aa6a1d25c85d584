# list and dict comprehensions are rebuilt by the guard from the same text
def squares(n, cache=None, table=[i * i for i in range(4)], index={k: [] for k in "ab"}):
    table.append(n * n)
    index["a"].append(n)
    return table, index
