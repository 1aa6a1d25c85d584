# `@lru_cache(maxsize=None)` fed with the groups of a regex match: tokens the pattern bounds, no finding
import re
from functools import lru_cache

TZ_RE = re.compile(r"([+-])(\d\d):(\d\d)")


@lru_cache(maxsize=None)
def cached_tz(sign, hours, minutes):
    return (1 if sign == "+" else -1) * (int(hours) * 60 + int(minutes))


def parse_offset(text):
    match = TZ_RE.match(text)
    return cached_tz(match.group(1), match.group(2), match.group(3))
