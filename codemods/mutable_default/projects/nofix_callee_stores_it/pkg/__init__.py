# re-exports `register` of pkg/registry.py
from .registry import register
