# imports `record` from a: the cycle
from .a import record
