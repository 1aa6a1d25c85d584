# pyfix-fixture: target-version=3.8
# a file that already writes `X | None` in evaluated annotations runs on 3.10+: the fix writes `X | None` too
def find(name: str, default: int | None = None, seen: list[str] = []) -> int | None:
    seen.append(name)
    return default
