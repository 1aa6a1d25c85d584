# a call evaluated before the inline open (`get_version()`) may have side effects: the statement is wrapped instead
from setuptools import setup

from demo import get_version


def build():
    setup(
        name="demo",
        version=get_version(),
        long_description=open("README.rst").read(),
    )
