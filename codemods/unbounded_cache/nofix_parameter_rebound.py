# A parameter rebound before the key is built is not the argument the caller passed
_cache = {}


def get_language():
    return "en"


def translations(lang=None):
    lang = lang or get_language()
    if lang in _cache:
        return _cache[lang]
    value = {"lang": lang}
    _cache[lang] = value
    return value


def _keys_from_translations(path):
    with open(path) as f:
        for line in f:
            translations(*line.split())
