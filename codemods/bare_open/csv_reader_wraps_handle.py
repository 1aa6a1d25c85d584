# csv.reader(f) keeps the file: the block extends to the last use of `reader`
import csv


def rows(path):
    f = open(path, newline="")
    reader = csv.reader(f)
    header = next(reader)
    body = [row for row in reader]
    return header, body
