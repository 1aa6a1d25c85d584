# at the end of a script, a call evaluated before the inline open (`get_version()`) may have side effects, so the
# read cannot be hoisted before the statement; the statement is not re-indented under a `with` either: no fix
from setuptools import setup

from demo import get_version

setup(
    name="demo",
    version=get_version(),
    long_description=open("README.rst").read(),
)
