# A tab-indented file keeps its tabs, also in the lifted block
_cache = {}


def triple(n):
	if n not in _cache:
		value = n * 3
		_cache[n] = value
	return _cache[n]
