# iterating over open(p) in a for loop: the loop moves into the with block
def count_words(path):
    total = 0
    for line in open(path):
        # blank lines count as zero
        total += len(line.split())
    return total
