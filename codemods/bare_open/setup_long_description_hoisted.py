# an inline `open(...).read()` in a long call is hoisted into a `with` just before it, not re-indented under it
from setuptools import setup

setup(
    name="demo",
    version="1.0",
    long_description=open("README.rst").read(),
    packages=["demo"],
    install_requires=[
        "requests",
    ],
)
