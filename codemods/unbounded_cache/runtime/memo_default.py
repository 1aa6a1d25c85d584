# A private memo default keeps every result in `fib.__defaults__`; the fix bounds it with `lru_cache`.
import io
import sys


def fib(n, _memo={}):
    if n in _memo:
        return _memo[n]
    result = n if n < 2 else fib(n - 1) + fib(n - 2)
    _memo[n] = result
    return result


# The arguments arrive as text, one per line, like records read from a file.
numbers = io.StringIO("".join(f"{n}\n" for n in range(3000)))
values = [fib(int(numbers.readline())) % 1_000_007 for _ in range(3000)]
print("checksum:", sum(values), "fib(90):", fib(90))

# Looked up by name: a use of `fib` other than a call would (rightly) stop the fix.
measured = globals()["fib"]
defaults = getattr(measured, "__defaults__", None)
kept = len(defaults[0]) if defaults else measured.cache_info().currsize
if kept > 1000:
    print(f"LEAK: the memo default kept {kept} results", file=sys.stderr)
