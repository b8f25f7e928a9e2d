"""Store layout of x/did (did-reference §4): ``0x00 ‖ utf8(did)`` → ``uvarint(len) ‖ proto(DIDDocumentWithSeq)``."""

from __future__ import annotations

from typing import Final

MODULE_NAME: Final = "did"
STORE: Final = b"did/"
DID_PREFIX: Final = b"\x00"


def did_key(did: str) -> bytes:
    """The record's key: no length prefix, the DID's UTF-8 bytes after the prefix byte."""
    return DID_PREFIX + did.encode()


def did_of_key(key: bytes) -> str:
    """The DID a stored key names (keys are written only from ``str``, so they decode)."""
    return key[len(DID_PREFIX):].decode()
