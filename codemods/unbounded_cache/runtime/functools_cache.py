# `@functools.cache` keeps every result; bounded to 128 by the fix, with the same results.
import functools
import io
import sys


@functools.cache
def digits_sum(n):
    return sum(int(d) for d in str(n))


# The numbers arrive as text, one per line, like requests or records read from a file.
numbers = io.StringIO("".join(f"{n}\n" for n in range(10_000)))
total = sum(digits_sum(int(numbers.readline())) for _ in range(10_000))
print("total:", total, "again:", digits_sum(9999), digits_sum(12345))

kept = digits_sum.cache_info().currsize
if kept > 1000:
    print(f"LEAK: the cache kept {kept} results", file=sys.stderr)
