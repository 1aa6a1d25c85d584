# the reader built on the file outlives the statement: the file must stay open
import csv


def reader(path):
    rows = csv.reader(open(path, newline=""))
    return list(rows)
