# `v = C.get(k)` + `if v is None: v = ...; C[k] = v` + `return v`, the computed value never `None`
_squares = {}


def square_table(n):
    table = _squares.get(n)
    if table is None:
        table = tuple(i * i for i in range(n))
        _squares[n] = table
    return table


def _keys_from_square_table(path):
    with open(path) as f:
        for line in f:
            square_table(*line.split())
