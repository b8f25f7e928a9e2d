"""Panacea Data Exchange Protocol: chain, oracle and consumer service in one Python project."""

from panacea import _native

__version__ = "0.1.0"

_native.install()  # compiled chain modules only while they match their sources (see panacea._native)
