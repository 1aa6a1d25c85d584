# `mmap.mmap`: `with`
import mmap


def first_bytes(fileno, n):
    mm = mmap.mmap(fileno, 0, access=mmap.ACCESS_READ)
    head = mm[:n]
    mm.close()
    return head
