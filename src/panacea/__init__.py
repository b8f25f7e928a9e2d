"""Panacea Data Exchange Protocol: chain, oracle and consumer service in one Python project."""

__version__ = "0.1.0"
