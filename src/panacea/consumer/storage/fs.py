"""Filesystem backend: ``<root>/<deal id>/<data hash>``, written atomically (issue 11).

A put writes a temporary file in the deal's directory, fsyncs it, then ``os.link``s it to its name — link
creates the name only if it is absent, atomically, so a reader or a concurrent writer never sees a partial
object and a second writer can never replace the first — then fsyncs the directory. A crash mid-write leaves
only a ``.tmp-*`` file, which listings skip and :meth:`FileStorage.sweep_temp` removes.
Departure from §7: the reference truncates and rewrites the file in place, names the directory as the path gave
the id ("01" stays "01") and overwrites on resubmission.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from pathlib import Path
from typing import Final

from panacea.consumer.storage import ConflictError, ObjectInfo, PutResult, StorageError

TEMP_PREFIX: Final = ".tmp-"
TEMP_MAX_AGE: Final = 3600.0


class FileStorage:
    """Objects as files under ``root``; blocking I/O runs in the default thread pool."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _dir(self, deal_id: int) -> Path:
        return self.root / str(deal_id)

    async def put(self, deal_id: int, data_hash: str, data: bytes) -> PutResult:
        """Store atomically (temp + fsync + link + fsync dir); same bytes again: ``created=False``."""
        return await asyncio.to_thread(self._put, deal_id, data_hash, data)

    def _put(self, deal_id: int, data_hash: str, data: bytes) -> PutResult:
        directory = self._dir(deal_id)
        final = directory / data_hash
        if final.exists():
            return _same_or_conflict(final, data)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            tmp = directory / f"{TEMP_PREFIX}{data_hash}-{secrets.token_hex(8)}"
            write_synced(tmp, data)
            try:
                os.link(tmp, final)
            except FileExistsError:  # a concurrent writer won: same bytes are fine
                return _same_or_conflict(final, data)
            finally:
                tmp.unlink(missing_ok=True)
            _fsync_dir(directory)
        except OSError as e:
            raise StorageError(f"cannot store object: {e.strerror}") from None
        return PutResult(True, len(data))

    async def get(self, deal_id: int, data_hash: str) -> bytes | None:
        """The object's bytes, None when absent."""
        return await asyncio.to_thread(self._get, deal_id, data_hash)

    def _get(self, deal_id: int, data_hash: str) -> bytes | None:
        try:
            return (self._dir(deal_id) / data_hash).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            raise StorageError(f"cannot read object: {e.strerror}") from None

    async def page(self, deal_id: int, after: str, limit: int) -> list[ObjectInfo]:
        """A page of the deal's objects by hash; temporary files are never listed."""
        return await asyncio.to_thread(self._page, deal_id, after, limit)

    def _page(self, deal_id: int, after: str, limit: int) -> list[ObjectInfo]:
        try:
            entries = [e for e in os.scandir(self._dir(deal_id)) if not e.name.startswith(".") and e.name > after]
        except FileNotFoundError:
            return []
        entries.sort(key=lambda e: e.name)
        return [ObjectInfo(e.name, e.stat().st_size) for e in entries[:limit]]

    def sweep_temp(self, max_age: float = TEMP_MAX_AGE) -> int:
        """Remove temporary files older than ``max_age`` seconds (left by a crash); how many were removed."""
        removed = 0
        cutoff = time.time() - max_age
        for tmp in self.root.glob(f"*/{TEMP_PREFIX}*"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    async def close(self) -> None:
        """Nothing to release."""


def write_synced(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data`` and fsync it before returning."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _same_or_conflict(final: Path, data: bytes) -> PutResult:
    try:
        if final.stat().st_size == len(data) and final.read_bytes() == data:
            return PutResult(False, len(data))
    except OSError as e:
        raise StorageError(f"cannot read object: {e.strerror}") from None
    raise ConflictError("data already stored with different content")
