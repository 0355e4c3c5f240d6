"""Saima (赛马): an open platform for the public performance races of local governments."""

__version__ = "0.1.0"
