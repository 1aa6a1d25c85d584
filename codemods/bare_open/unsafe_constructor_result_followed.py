# an object built on the handle by an unknown class keeps it: the block covers every use of that object
from mylib import Tokenizer


def count_tokens(path):
    stream = open(path)
    tokens = Tokenizer(stream)
    total = 0
    for _ in tokens:
        total += 1
    stream.close()
    return total
