# A report script: a csv reader built on a handle, a line counter, module-level logging, and a read at the script's
# end (an unsafe fix: the process ends right after).
import csv


def write_rows(path, rows):
    out = open(path, "w", newline="")
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(row)
    out.close()


def total(path):
    f = open(path, newline="")
    reader = csv.reader(f)
    next(reader)
    return sum(int(amount) for _, amount in reader)


def count_lines(path):
    n = 0
    for _ in open(path):
        n += 1
    return n


write_rows("sales.csv", [("item", "amount"), ("apples", "3"), ("pears", "5")])
log = open("report.log", "w")
log.write("total=%d\n" % total("sales.csv"))
log.write("lines=%d\n" % count_lines("sales.csv"))
log.close()
print(open("report.log").read(), end="")
