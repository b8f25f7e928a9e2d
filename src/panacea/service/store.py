"""The state a service's worker processes share, in one LMDB environment in the service home (issue 11).

LMDB lets several processes open the same environment (a lock file, one writer at a time, readers never
blocked), so uvicorn workers and a restarted service see the same JWT replay cache. Each named database is one
concern: ``jti`` (replay cache) and ``jti_exp`` (its expiry index) here; the oracle adds its rate-limit
counters as further named databases through :meth:`Store.db` and :meth:`Store.write`.

Durability: commits are not fsynced (``sync=False``): a killed process loses nothing (the pages are in the OS
cache), a power loss may drop the last commits of a replay cache whose entries live minutes. Open the store in
the worker process (after the fork), never before.
"""

from __future__ import annotations

import os
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import lmdb

DEFAULT_MAP_SIZE: Final = 256 * 1024 * 1024
MAX_DBS: Final = 16
MAX_JTI_BYTES: Final = 256
_SWEEP_EVERY: Final = 256  # claims between sweeps of expired entries (per process)
_SWEEP_BATCH: Final = 4096
_EXP: Final = struct.Struct(">Q")


class StoreFullError(Exception):
    """The environment reached its map size even after expired entries were swept."""


class Store:
    """One LMDB environment shared by the worker processes of a service."""

    def __init__(self, path: Path, *, map_size: int = DEFAULT_MAP_SIZE) -> None:
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o700)
        self.path = path
        self.env = lmdb.open(str(path), map_size=map_size, max_dbs=MAX_DBS, sync=False, metasync=False,
                             max_readers=512, lock=True)
        self._dbs: dict[bytes, lmdb._Database] = {}
        self._lock = threading.Lock()
        self._claims = 0
        self._jti = self.db(b"jti")
        self._jti_exp = self.db(b"jti_exp")

    def db(self, name: bytes) -> lmdb._Database:
        """The named database ``name`` (created on first use), for a service's own shared state."""
        with self._lock:
            handle = self._dbs.get(name)
            if handle is None:
                handle = self._dbs[name] = self.env.open_db(name)
            return handle

    @contextmanager
    def write(self) -> Iterator[lmdb.Transaction]:
        """A write transaction (serialised across processes); StoreFullError when the map is full."""
        try:
            with self.env.begin(write=True) as txn:
                yield txn
        except lmdb.MapFullError:
            raise StoreFullError("service store is full") from None

    def close(self) -> None:
        """Close the environment (the files stay for the next start)."""
        self.env.close()

    # --- JWT replay cache ------------------------------------------------------------------------------------
    def claim_jti(self, issuer: str, jti: str, expires_at: int, now: int) -> bool:
        """Record ``jti`` of ``issuer`` until ``expires_at``; False when it is already recorded and unexpired."""
        key = _jti_key(issuer, jti)
        self._claims += 1
        if self._claims % _SWEEP_EVERY == 0:
            self.sweep_jtis(now)
        try:
            return self._claim(key, expires_at, now)
        except StoreFullError:
            self.sweep_jtis(now, batch=None)
            return self._claim(key, expires_at, now)

    def _claim(self, key: bytes, expires_at: int, now: int) -> bool:
        with self.write() as txn:
            old = txn.get(key, db=self._jti)
            if old is not None:
                old_exp = _EXP.unpack(old)[0]
                if old_exp > now:
                    return False
                txn.delete(_EXP.pack(old_exp) + key, db=self._jti_exp)
            txn.put(key, _EXP.pack(expires_at), db=self._jti)
            txn.put(_EXP.pack(expires_at) + key, b"", db=self._jti_exp)
            return True

    def sweep_jtis(self, now: int, batch: int | None = _SWEEP_BATCH) -> int:
        """Delete replay entries expired at ``now`` (at most ``batch``, None: all); how many were deleted."""
        deleted = 0
        with self.write() as txn:
            cursor = txn.cursor(db=self._jti_exp)
            while cursor.first() and (batch is None or deleted < batch):
                index_key = bytes(cursor.key())
                if _EXP.unpack(index_key[:8])[0] > now:
                    break
                cursor.delete()
                txn.delete(index_key[8:], db=self._jti)
                deleted += 1
        return deleted

    def jti_count(self) -> int:
        """How many replay entries are stored (expired ones until the next sweep)."""
        with self.env.begin() as txn:
            return int(txn.stat(self._jti)["entries"])


def _jti_key(issuer: str, jti: str) -> bytes:
    # An issuer's jtis are its own: one issuer cannot use up another's (a NUL never occurs in a bech32 address).
    key = issuer.encode() + b"\0" + jti.encode()
    if len(jti.encode()) > MAX_JTI_BYTES or len(key) > 511:  # LMDB's default max key size
        raise ValueError(f"jti longer than {MAX_JTI_BYTES} bytes")
    return key
