# re-exports the helper of pkg/_impl.py
from ._impl import drain
