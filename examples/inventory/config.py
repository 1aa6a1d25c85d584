"""Settings: read from a JSON file, with defaults."""
import json

DEFAULTS = {"currency": "EUR", "low_stock": 3}


def load_settings(path):
    f = open(path)
    settings = json.load(f)
    f.close()
    merged = dict(DEFAULTS)
    merged.update(settings)
    return merged


def read_banner(path):
    return open(path, encoding="utf-8").read().strip()


def save_settings(path, settings):
    open(path, "w").write(json.dumps(settings, indent=2))
