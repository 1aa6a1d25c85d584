# an inline `open(...).read()` in a long call at the end of a script is hoisted into a `with` just before it, not
# re-indented under it; unsafe, since the process ends right after and releases the file anyway
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
