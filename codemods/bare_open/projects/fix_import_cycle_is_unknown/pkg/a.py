# imports `finish` from b, which imports it from here: a cycle, so unknown
from .b import finish
