"""Where uploaded ciphertexts live: one interface, a filesystem backend (default) and an S3-compatible one.

An object is named by (deal id, data hash); its bytes never change once stored: a put of the same bytes is a
no-op (``created=False``), of other bytes a :class:`ConflictError`; a put is atomic (an object is either
absent or complete). Listing is ordered by data hash, a page continuing after the last hash of the previous.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class StorageError(Exception):
    """The backend failed (disk, network); the message is safe to log, never shown to a client."""


class ConflictError(Exception):
    """Another content is already stored under this (deal, data hash)."""


@dataclass(frozen=True)
class PutResult:
    """What a put did: ``created`` is False when the same bytes were there already."""

    created: bool
    size: int


@dataclass(frozen=True)
class ObjectInfo:
    """One stored object of a deal."""

    data_hash: str
    size: int


class Storage(Protocol):
    """A backend; ``deal_id`` is a uint64, ``data_hash`` lower-case hex (the app validates both)."""

    async def put(self, deal_id: int, data_hash: str, data: bytes) -> PutResult:
        """Store ``data`` atomically unless present (ConflictError when present with other bytes)."""
        ...

    async def get(self, deal_id: int, data_hash: str) -> bytes | None:
        """The stored bytes, None when there is no such object."""
        ...

    async def page(self, deal_id: int, after: str, limit: int) -> list[ObjectInfo]:
        """Up to ``limit`` objects of the deal whose hash sorts after ``after`` ("" from the start)."""
        ...

    async def close(self) -> None:
        """Release connections and handles."""
        ...
