# imports `finish` from a: the cycle
from .a import finish
