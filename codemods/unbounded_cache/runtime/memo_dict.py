# pyfix-fixture: safe-only
# A module-level memo dict keeps one entry per distinct argument: after 5,000 calls it holds thousands of results.
import io
import sys

_steps = {}


def collatz_steps(n):
    if n in _steps:
        return _steps[n]
    steps = 0 if n == 1 else 1 + collatz_steps(n // 2 if n % 2 == 0 else 3 * n + 1)
    _steps[n] = steps
    return steps


# The numbers arrive as text, one per line, like records read from a file.
numbers = io.StringIO("".join(f"{n}\n" for n in range(1, 5001)))
results = [collatz_steps(int(numbers.readline())) for _ in range(5000)]
print("sum of steps:", sum(results), "longest:", max(results))
print("again:", [collatz_steps(n) for n in (27, 97, 871)])

memo = globals().get("_steps")
kept = len(memo) if memo is not None else collatz_steps.cache_info().currsize
if kept > 1000:
    print(f"LEAK: the memo kept {kept} results", file=sys.stderr)
