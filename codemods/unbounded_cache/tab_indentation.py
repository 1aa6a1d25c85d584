# A tab-indented file keeps its tabs, also in the lifted block
_cache = {}


def triple(n):
	if n not in _cache:
		value = n * 3
		_cache[n] = value
	return _cache[n]


def _keys_from_triple(path):
	with open(path) as f:
		for line in f:
			triple(*line.split())
