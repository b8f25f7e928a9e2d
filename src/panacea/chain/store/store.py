"""LMDB tables behind the versioned store: flat latest values, per-key history, Merkle nodes, roots."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from hashlib import sha256
from types import TracebackType
from typing import Any, Final

import lmdb

from panacea.chain.store.tree import EMPTY_REF, BatchUpdate, Ref, decode_ref, encode_ref, prove
from panacea.crypto.merkle import Proof, key_hash

_LATEST: Final = b"latest"  # key -> value (state at the last committed version)
_HISTORY: Final = b"history"  # enc(key) ‖ BE64(version) -> 0x01 ‖ value | 0x00 (deleted)
_HISTORY_STALE: Final = b"history_stale"  # BE64(version) ‖ enc(key) -> 0x00|0x01: rows < | <= version superseded
_NODES: Final = b"nodes"  # BE64(version) ‖ BE32(seq) -> inner tree node record (see tree.py)
_NODES_STALE: Final = b"nodes_stale"  # BE64(version) -> names (12 bytes each) of nodes that left the tree then
_ROOTS: Final = b"roots"  # BE64(version) -> Ref.encode()
_META: Final = b"meta"  # caller's non-merkleized bookkeeping
_INFO: Final = b"info"  # store bookkeeping below
_VERSION: Final = b"version"
_EARLIEST: Final = b"earliest"

_NAME_SIZE: Final = 12
_TOMBSTONE: Final = b"\x00"
_PRESENT: Final = b"\x01"


def _be64(n: int) -> bytes:
    return n.to_bytes(8, "big")


def _encode_key(key: bytes) -> bytes:
    """Order-preserving, prefix-free escaping so `key ‖ BE64(version)` rows of one key stay contiguous."""
    return key.replace(b"\x00", b"\x00\xff") + b"\x00\x01"


def _decode_key(encoded: bytes) -> bytes:
    return encoded[:-2].replace(b"\x00\xff", b"\x00")


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes):
        raise ValueError(f"key must be bytes, not {type(key).__name__}")
    if not key:
        raise ValueError("empty key")


@dataclass(frozen=True, eq=False)
class PreparedCommit:
    """A block's changes with the new root computed but nothing persisted (see `Store.prepare`)."""

    version: int
    base_version: int
    root: bytes
    root_ref: Ref = field(repr=False)
    writes: list[tuple[bytes, bytes | None, bool]] = field(repr=False)  # key, new value, key existed
    new_nodes: list[tuple[bytes, bytes]] = field(repr=False)
    stale_nodes: list[bytes] = field(repr=False)


class Store:
    """Authenticated, versioned key-value store; only committed versions are ever visible."""

    def __init__(self, path: str, *, map_size: int = 1 << 36) -> None:
        self._env: Any = lmdb.open(
            path, map_size=map_size, max_dbs=8, subdir=True, sync=True, metasync=True, readahead=False
        )
        with self._env.begin(write=True) as txn:
            open_db = self._env.open_db
            self._latest = open_db(_LATEST, txn=txn)
            self._history = open_db(_HISTORY, txn=txn)
            self._history_stale = open_db(_HISTORY_STALE, txn=txn)
            self._nodes = open_db(_NODES, txn=txn)
            self._nodes_stale = open_db(_NODES_STALE, txn=txn)
            self._roots = open_db(_ROOTS, txn=txn)
            self._meta = open_db(_META, txn=txn)
            self._info = open_db(_INFO, txn=txn)

    def close(self) -> None:
        self._env.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- bookkeeping -------------------------------------------------------------------------------

    def _info_int(self, txn: Any, name: bytes) -> int:
        raw = txn.get(name, db=self._info)
        return 0 if raw is None else int.from_bytes(raw, "big")

    def _resolve(self, txn: Any, version: int | None) -> int:
        current = self._info_int(txn, _VERSION)
        if version is None or version == current:
            return current
        earliest = self._info_int(txn, _EARLIEST)
        if current == 0 or not earliest <= version <= current:
            raise ValueError(f"version {version} is not available (available: {earliest}..{current})")
        return version

    def _root_ref(self, txn: Any, version: int) -> Ref:
        if version == 0:
            return EMPTY_REF
        raw = txn.get(_be64(version), db=self._roots)
        if raw is None:
            raise RuntimeError(f"missing root for version {version}")
        return decode_ref(raw)

    @property
    def version(self) -> int:
        with self._env.begin() as txn:
            return self._info_int(txn, _VERSION)

    @property
    def earliest_version(self) -> int:
        """Oldest version still queryable (0 while nothing is committed)."""
        with self._env.begin() as txn:
            return self._info_int(txn, _EARLIEST)

    def root_hash(self, version: int | None = None) -> bytes:
        with self._env.begin() as txn:
            return self._root_ref(txn, self._resolve(txn, version))[0]

    def get_meta(self, key: bytes) -> bytes | None:
        with self._env.begin(db=self._meta) as txn:
            value: bytes | None = txn.get(key)
            return value

    # -- reads -------------------------------------------------------------------------------------

    def get(self, key: bytes, version: int | None = None) -> bytes | None:
        _check_key(key)
        with self._env.begin() as txn:
            if version is not None:
                resolved = self._resolve(txn, version)
                if resolved != self._info_int(txn, _VERSION):
                    return self._get_historical(txn, key, resolved)
            value: bytes | None = txn.get(key, db=self._latest)
            return value

    def _get_historical(self, txn: Any, key: bytes, version: int) -> bytes | None:
        encoded = _encode_key(key)
        cursor = txn.cursor(db=self._history)
        found = cursor.prev() if cursor.set_range(encoded + _be64(version + 1)) else cursor.last()
        if not found or cursor.key()[:-8] != encoded:
            return None
        row: bytes = cursor.value()
        return None if row == _TOMBSTONE else row[1:]

    def iterate(
        self,
        start: bytes | None = None,
        end: bytes | None = None,
        *,
        version: int | None = None,
        reverse: bool = False,
    ) -> Iterator[tuple[bytes, bytes]]:
        """Pairs with start <= key < end in bytewise order, from one consistent snapshot."""
        txn = self._env.begin()
        try:
            resolved = self._resolve(txn, version)
            latest = resolved == self._info_int(txn, _VERSION)
        except BaseException:
            txn.abort()
            raise
        start = start or None
        if end == b"":
            txn.abort()
            return iter(())
        if latest:
            return self._iterate_latest(txn, start, end, reverse)
        return self._iterate_history(txn, resolved, start, end, reverse)

    def _iterate_latest(
        self, txn: Any, start: bytes | None, end: bytes | None, reverse: bool
    ) -> Iterator[tuple[bytes, bytes]]:
        try:
            cursor = txn.cursor(db=self._latest)
            if reverse:
                if not _seek_before(cursor, end):
                    return
                for key, value in cursor.iterprev():
                    if start is not None and key < start:
                        return
                    yield key, value
            else:
                if not (cursor.set_range(start) if start is not None else cursor.first()):
                    return
                for key, value in cursor.iternext():
                    if end is not None and key >= end:
                        return
                    yield key, value
        finally:
            txn.abort()

    def _iterate_history(
        self, txn: Any, version: int, start: bytes | None, end: bytes | None, reverse: bool
    ) -> Iterator[tuple[bytes, bytes]]:
        limit = _be64(version)
        start_enc = None if start is None else _encode_key(start)
        end_enc = None if end is None else _encode_key(end)
        try:
            cursor = txn.cursor(db=self._history)
            if reverse:
                if not _seek_before(cursor, end_enc):
                    return
                group = b""
                done = False
                for row_key, row in cursor.iterprev():
                    encoded = row_key[:-8]
                    if encoded != group:
                        if start_enc is not None and encoded < start_enc:
                            return
                        group, done = encoded, False
                    if not done and row_key[-8:] <= limit:
                        done = True  # rows run newest first: this is the value at `version`
                        if row != _TOMBSTONE:
                            yield _decode_key(encoded), row[1:]
                return
            if not (cursor.set_range(start_enc) if start_enc is not None else cursor.first()):
                return
            group, best = b"", _TOMBSTONE
            for row_key, row in cursor.iternext():
                encoded = row_key[:-8]
                if encoded != group:
                    if best != _TOMBSTONE:
                        yield _decode_key(group), best[1:]
                    if end_enc is not None and encoded >= end_enc:
                        return
                    group, best = encoded, _TOMBSTONE
                if row_key[-8:] <= limit:
                    best = row  # rows run oldest first: keep the last one not after `version`
            if best != _TOMBSTONE:
                yield _decode_key(group), best[1:]
        finally:
            txn.abort()

    def prove(self, key: bytes, version: int | None = None) -> Proof:
        """Membership proof if `key` is present at `version`, else non-membership proof."""
        _check_key(key)
        with self._env.begin(db=self._nodes) as txn:
            root = self._root_ref(txn, self._resolve(txn, version))
            return prove(txn.get, root, key_hash(key))

    # -- writes ------------------------------------------------------------------------------------

    def commit(
        self, changes: Mapping[bytes, bytes | None], version: int, meta: Mapping[bytes, bytes] | None = None
    ) -> bytes:
        """Apply `changes` (None deletes) as `version` in one durable LMDB transaction; return the root."""
        prepared = self.prepare(changes, version)
        self.commit_prepared(prepared, meta)
        return prepared.root

    def prepare(self, changes: Mapping[bytes, bytes | None], version: int) -> PreparedCommit:
        """Compute the root `changes` would give as `version` without persisting anything.

        ABCI needs the app hash at FinalizeBlock but must persist only at Commit; `commit_prepared` then
        writes the precomputed nodes without rehashing.
        """
        for key, value in changes.items():
            _check_key(key)
            if value is not None and not isinstance(value, bytes):
                raise ValueError(f"value of key {key.hex()} must be bytes or None: {type(value).__name__}")
        with self._env.begin(db=self._nodes) as txn:  # nodes default: the hot reads
            current = self._info_int(txn, _VERSION)
            _check_next_version(current, version)
            latest = self._latest
            writes: list[tuple[bytes, bytes | None, bool]] = []
            by_hash: dict[bytes, bytes | None] = {}
            for key in sorted(changes):  # bytes keys sort faster than (key, value) items
                value = changes[key]
                old = txn.get(key, db=latest)
                if old == value:
                    continue  # also skips deleting an absent key
                writes.append((key, value, old is not None))
                by_hash[sha256(key).digest()] = None if value is None else sha256(value).digest()
            tree_changes = [(h, by_hash[h]) for h in sorted(by_hash)]
            batch = BatchUpdate(txn.get, version)
            root = batch.apply(self._root_ref(txn, current), tree_changes)
        return PreparedCommit(version, current, root[0], root, writes, batch.new_nodes, batch.stale_nodes)

    def commit_prepared(self, prepared: PreparedCommit, meta: Mapping[bytes, bytes] | None = None) -> None:
        """Persist a `prepare` result (plus `meta`) atomically and durably; only valid on the same base."""
        meta_items = sorted((meta or {}).items())
        for meta_key, meta_value in meta_items:
            if not isinstance(meta_key, bytes) or not meta_key or not isinstance(meta_value, bytes):
                raise ValueError("meta keys must be non-empty bytes and meta values bytes")
        version_key = _be64(prepared.version)
        with self._env.begin(write=True) as txn:
            current = self._info_int(txn, _VERSION)
            if current != prepared.base_version:
                raise ValueError(
                    f"prepared commit of version {prepared.version} is stale: store is at version {current}"
                )
            latest_puts: list[tuple[bytes, bytes]] = []
            history_rows: list[tuple[bytes, bytes]] = []
            superseded: list[tuple[bytes, bytes]] = []
            for key, value, existed in prepared.writes:  # sorted by key, so by encoded key too
                encoded = _encode_key(key)
                if value is None:
                    txn.delete(key, db=self._latest)
                    history_rows.append((encoded + version_key, _TOMBSTONE))
                    superseded.append((version_key + encoded, b"\x01"))
                    continue
                latest_puts.append((key, value))
                history_rows.append((encoded + version_key, _PRESENT + value))
                if existed:
                    superseded.append((version_key + encoded, b"\x00"))
            if latest_puts:
                txn.cursor(db=self._latest).putmulti(latest_puts)
            if history_rows:
                txn.cursor(db=self._history).putmulti(history_rows)
            if superseded:
                txn.cursor(db=self._history_stale).putmulti(superseded, append=True)
            if prepared.new_nodes:
                txn.cursor(db=self._nodes).putmulti(prepared.new_nodes, append=True)
            if prepared.stale_nodes:
                txn.put(version_key, b"".join(prepared.stale_nodes), db=self._nodes_stale, append=True)
            txn.put(version_key, encode_ref(prepared.root_ref), db=self._roots)
            txn.put(_VERSION, version_key, db=self._info)
            if current == 0:
                txn.put(_EARLIEST, version_key, db=self._info)
            for meta_key, meta_value in meta_items:
                txn.put(meta_key, meta_value, db=self._meta)

    def put_meta(self, items: Mapping[bytes, bytes]) -> None:
        """Write metadata outside a commit (e.g. node bookkeeping before the first block)."""
        with self._env.begin(write=True, db=self._meta) as txn:
            for key, value in sorted(items.items()):
                txn.put(key, value)

    def prune(self, keep_recent: int) -> None:
        """Drop history rows, tree nodes and roots needed only by versions before the `keep_recent` newest."""
        if keep_recent < 1:
            raise ValueError(f"keep_recent must be >= 1, not {keep_recent}")
        with self._env.begin(write=True) as txn:
            current = self._info_int(txn, _VERSION)
            cutoff = current - keep_recent + 1
            if current == 0 or cutoff <= self._info_int(txn, _EARLIEST):
                return
            limit = _be64(cutoff)
            stale = txn.cursor(db=self._nodes_stale)
            stale.first()
            while (row_key := stale.key()) and row_key <= limit:
                names = stale.value()
                for at in range(0, len(names), _NAME_SIZE):
                    txn.delete(names[at : at + _NAME_SIZE], db=self._nodes)
                stale.delete()
            history = txn.cursor(db=self._history)
            superseded = txn.cursor(db=self._history_stale)
            superseded.first()
            while (row_key := superseded.key()) and row_key[:8] <= limit:
                encoded, since = row_key[8:], row_key[:8]
                inclusive = superseded.value() == b"\x01"
                history.set_range(encoded)
                while (old := history.key()) and old[:-8] == encoded:
                    if old[-8:] > since or (old[-8:] == since and not inclusive):
                        break
                    history.delete()
                superseded.delete()
            roots = txn.cursor(db=self._roots)
            roots.first()
            while (row_key := roots.key()) and row_key < limit:
                roots.delete()
            txn.put(_EARLIEST, limit, db=self._info)


def _check_next_version(current: int, version: int) -> None:
    if version < 1 or (current != 0 and version != current + 1):
        expected = "any version >= 1" if current == 0 else f"version {current + 1}"
        raise ValueError(f"cannot commit version {version}: expected {expected}")


def _seek_before(cursor: Any, end: bytes | None) -> bool:
    """Position on the last row < end (the last row if end is None)."""
    if end is None:
        return bool(cursor.last())
    return bool(cursor.prev() if cursor.set_range(end) else cursor.last())
