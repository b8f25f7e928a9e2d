"""Filesystem backend: ``<root>/<deal id>/<data hash>``, written atomically (issue 11).

A put writes a temporary file in the deal's directory, makes it durable, then ``os.link``s it to its name —
link creates the name only if it is absent, atomically, so a reader or a concurrent writer never sees a partial
object and a second writer can never replace the first — then makes the link durable before answering. A crash
mid-write leaves only a ``.tmp-*`` file, which listings skip and :meth:`FileStorage.sweep_temp` removes.

**Group commit** (measured: a file fsync plus a directory fsync cost ~1.4 ms here, and concurrent ones barely
overlap): each put fsyncs its own temp file in a pool thread, but the link and the directory fsync that makes it
durable are done for all puts waiting at that moment by one thread — one directory fsync per deal directory
per batch instead of one per put. ``group_commit=False`` gives each put its own directory fsync.
(``syncfs`` for a whole batch was tried and is slower: it flushes every other process's dirty pages too.)
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from panacea.consumer.storage import ConflictError, ObjectInfo, PutResult, StorageError

TEMP_PREFIX: Final = ".tmp-"
TEMP_MAX_AGE: Final = 3600.0


@dataclass
class _Pending:
    """A put waiting for the next group commit: its temp file is written and fsynced, not yet linked."""

    tmp: Path
    final: Path
    data: bytes
    done: asyncio.Future[PutResult] = field(repr=False)


class FileStorage:
    """Objects as files under ``root``; blocking I/O runs in the default thread pool."""

    def __init__(self, root: Path, *, group_commit: bool = True) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.group_commit = group_commit
        self._pending: list[_Pending] = []
        self._committing = False
        self.commits = 0  # group commits made (tests and metrics)

    def _dir(self, deal_id: int) -> Path:
        return self.root / str(deal_id)

    async def put(self, deal_id: int, data_hash: str, data: bytes) -> PutResult:
        """Store atomically (temp + durable + link + durable); same bytes again: ``created=False``."""
        if not self.group_commit:
            return await asyncio.to_thread(self._put, deal_id, data_hash, data)
        tmp_or_result = await asyncio.to_thread(self._write_temp, deal_id, data_hash, data)
        if isinstance(tmp_or_result, PutResult):
            return tmp_or_result
        done: asyncio.Future[PutResult] = asyncio.get_running_loop().create_future()
        self._pending.append(_Pending(tmp_or_result, self._dir(deal_id) / data_hash, data, done))
        if not self._committing:
            self._committing = True
            asyncio.get_running_loop().create_task(self._commit_loop())
        return await done

    def _write_temp(self, deal_id: int, data_hash: str, data: bytes) -> Path | PutResult:
        directory = self._dir(deal_id)
        final = directory / data_hash
        if final.exists():
            return _same_or_conflict(final, data)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            tmp = directory / f"{TEMP_PREFIX}{data_hash}-{secrets.token_hex(8)}"
            write_synced(tmp, data)
        except OSError as e:
            raise StorageError(f"cannot store object: {e.strerror}") from None
        return tmp

    async def _commit_loop(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                self.commits += 1
                try:
                    results = await asyncio.to_thread(self._commit, batch)
                except BaseException as e:  # the thread failed as a whole: every put of the batch fails
                    error = StorageError(f"cannot store object: {getattr(e, 'strerror', None) or 'sync failed'}")
                    results = [error] * len(batch)
                for item, result in zip(batch, results, strict=True):
                    if item.done.done():
                        continue
                    if isinstance(result, BaseException):
                        item.done.set_exception(result)
                    else:
                        item.done.set_result(result)
        finally:
            self._committing = False

    def _commit(self, batch: list[_Pending]) -> list[PutResult | StorageError]:
        """Link every temp file to its name, then fsync each directory once; then the answers."""
        results: list[PutResult | StorageError] = []
        directories: dict[Path, None] = {}
        for item in batch:
            try:
                try:
                    os.link(item.tmp, item.final)
                    results.append(PutResult(True, len(item.data)))
                    directories[item.final.parent] = None
                except FileExistsError:  # a concurrent writer won: same bytes are fine
                    results.append(_same_or_conflict(item.final, item.data))
                finally:
                    item.tmp.unlink(missing_ok=True)
            except StorageError as e:
                results.append(e)
            except OSError as e:
                results.append(StorageError(f"cannot store object: {e.strerror}"))
        for directory in directories:
            _fsync_dir(directory)  # an OSError here fails the whole batch (the caller's except)
        return results

    def _put(self, deal_id: int, data_hash: str, data: bytes) -> PutResult:
        tmp = self._write_temp(deal_id, data_hash, data)
        if isinstance(tmp, PutResult):
            return tmp
        final = self._dir(deal_id) / data_hash
        try:
            try:
                os.link(tmp, final)
            except FileExistsError:  # a concurrent writer won: same bytes are fine
                return _same_or_conflict(final, data)
            finally:
                tmp.unlink(missing_ok=True)
            _fsync_dir(final.parent)
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


def write_file(path: Path, data: bytes, *, sync: bool) -> None:
    """Create ``path`` with ``data``; with ``sync``, fsync it before returning."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


def write_synced(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data`` and fsync it before returning."""
    write_file(path, data, sync=True)


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
