"""Errors raised by :mod:`panacea.crypto`."""

from __future__ import annotations


class CryptoError(ValueError):
    """Base class of every error raised by this package; the message is one CLI-ready line."""


class JSONCanonicalizationError(CryptoError):
    """The input cannot be canonicalized as RFC 8785 JSON (oracle-reference §2.3)."""


class JWTError(CryptoError):
    """A bearer token could not be parsed, issued or verified (oracle-reference §1.7)."""
