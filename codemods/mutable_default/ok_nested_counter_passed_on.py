# a nested function's cell counter (`lnum=[lnum]`, `lnum[0] += 1`) handed to a reader: changed, never grown
import linecache


def context(file, lnum, scan):
    def reader(lnum=[lnum]):
        try:
            return linecache.getline(file, lnum[0])
        finally:
            lnum[0] += 1

    return scan(reader)
