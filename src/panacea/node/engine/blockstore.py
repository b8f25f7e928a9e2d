"""The embedded engine's block store, results store and tx index (one LMDB environment).

Each height is written in two atomic steps, as CometBFT does: the block with its seen commit
(``save_block``, before execution) and then the FinalizeBlock results with the tx index (``save_results``,
after execution, before the app commits). The tx index is CometBFT's kv indexer: every tx by hash, by
height, and by every event attribute as ``"<type>.<key>"`` = value.
"""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import lmdb

from panacea.node.cometbft.query import Condition, Query
from panacea.node.cometbft.results import BlockResults, ExecResult, TxRecord
from panacea.types.cometbft.encoding import pb_field, uvarint
from panacea.types.cometbft.types import Block, BlockID, Commit
from panacea.types.pb.tendermint.abci import types_pb2 as abci_pb2
from panacea.types.pb.tendermint.types import types_pb2

_HEIGHT = b"height"
_BASE = b"base"
_RESULTS_HEIGHT = b"results_height"
_PENDING = b"pending"
_SEP = b"\x00"
_SPECIAL = ("tx.hash", "tx.height")

HASH_SIZE = 32  # sha256: block and tx hashes


def _be64(n: int) -> bytes:
    return struct.pack(">Q", n)


def _be32(n: int) -> bytes:
    return struct.pack(">I", n)


class BlockStore:
    def __init__(self, path: str | Path, *, map_size: int = 1 << 36) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        self._env: Any = lmdb.open(str(path), map_size=map_size, max_dbs=10, subdir=True, sync=True, metasync=True,
                                   readahead=False)
        with self._env.begin(write=True) as txn:
            open_db = self._env.open_db
            self._blocks = open_db(b"blocks", txn=txn)
            self._commits = open_db(b"commits", txn=txn)
            self._ids = open_db(b"block_ids", txn=txn)
            self._by_hash = open_db(b"block_by_hash", txn=txn)
            self._results = open_db(b"results", txn=txn)
            self._txs = open_db(b"txs", txn=txn)
            self._tx_by_height = open_db(b"tx_by_height", txn=txn)
            self._attrs = open_db(b"tx_attrs", txn=txn)
            self._info = open_db(b"info", txn=txn)

    def close(self) -> None:
        self._env.close()

    # --- bookkeeping ---------------------------------------------------------------------------------------
    def _info_int(self, txn: Any, key: bytes) -> int:
        raw = txn.get(key, db=self._info)
        return 0 if raw is None else int.from_bytes(raw, "big")

    @property
    def height(self) -> int:
        """Highest stored block (0: none)."""
        with self._env.begin() as txn:
            return self._info_int(txn, _HEIGHT)

    @property
    def base(self) -> int:
        with self._env.begin() as txn:
            return self._info_int(txn, _BASE)

    @property
    def results_height(self) -> int:
        """Highest height whose FinalizeBlock results are stored."""
        with self._env.begin() as txn:
            return self._info_int(txn, _RESULTS_HEIGHT)

    # --- blocks --------------------------------------------------------------------------------------------
    def save_pending(self, encoded_block: bytes) -> None:
        """The proposal about to be signed: after a crash the same block is signed again, never another."""
        with self._env.begin(write=True) as txn:
            txn.put(_PENDING, encoded_block, db=self._info)

    def pending(self) -> bytes | None:
        with self._env.begin() as txn:
            raw = txn.get(_PENDING, db=self._info)
            return None if raw is None else bytes(raw)

    def save_block(self, block: Block, encoded: bytes, block_id: BlockID, seen_commit: Commit) -> None:
        height = block.header.height
        with self._env.begin(write=True) as txn:
            current = self._info_int(txn, _HEIGHT)
            if current and height != current + 1:
                raise ValueError(f"cannot save block {height}: the store is at height {current}")
            key = _be64(height)
            txn.put(key, encoded, db=self._blocks)
            txn.put(key, seen_commit.to_proto().SerializeToString(), db=self._commits)
            txn.put(key, block_id.to_proto().SerializeToString(), db=self._ids)
            txn.put(block_id.hash, key, db=self._by_hash)
            txn.put(_HEIGHT, key, db=self._info)
            if not current:
                txn.put(_BASE, key, db=self._info)
            txn.delete(_PENDING, db=self._info)

    def block_bytes(self, height: int) -> bytes | None:
        with self._env.begin() as txn:
            raw = txn.get(_be64(height), db=self._blocks)
            return None if raw is None else bytes(raw)

    def block(self, height: int) -> Block | None:
        raw = self.block_bytes(height)
        return None if raw is None else Block.from_bytes(raw)

    def block_id(self, height: int) -> BlockID | None:
        with self._env.begin() as txn:
            raw = txn.get(_be64(height), db=self._ids)
        return None if raw is None else BlockID.from_proto(types_pb2.BlockID.FromString(raw))

    def seen_commit(self, height: int) -> Commit | None:
        with self._env.begin() as txn:
            raw = txn.get(_be64(height), db=self._commits)
        return None if raw is None else Commit.from_proto(types_pb2.Commit.FromString(raw))

    def height_of(self, block_hash: bytes) -> int | None:
        if len(block_hash) != HASH_SIZE:  # no such block (and LMDB refuses keys past 511 bytes)
            return None
        with self._env.begin() as txn:
            raw = txn.get(block_hash, db=self._by_hash)
        return None if raw is None else int.from_bytes(raw, "big")

    # --- results and the tx index ------------------------------------------------------------------------
    def save_results(self, height: int, txs: Sequence[bytes], tx_hashes: Sequence[bytes],
                     results: BlockResults) -> None:
        """FinalizeBlock results of `height` plus the tx index, atomically (idempotent for a replay)."""
        key = _be64(height)
        encoded = [r.to_bytes() for r in results.tx_results]
        with self._env.begin(write=True) as txn:
            txn.put(key, results.to_bytes(encoded), db=self._results)
            for index, (tx, h, r) in enumerate(zip(txs, tx_hashes, results.tx_results, strict=True)):
                old = txn.get(h, db=self._txs)
                if old is not None and r.code != 0:
                    prev = abci_pb2.TxResult.FromString(old)
                    if prev.result.code == 0 and prev.height != height:
                        continue  # keep the successful copy of a tx included twice (kv indexer)
                txn.put(h, _tx_result_bytes(height, index, tx, encoded[index]), db=self._txs)
                position = key + _be32(index)
                txn.put(position, h, db=self._tx_by_height)
                rows = []
                for event in r.events:
                    if event.type == "tx" and any(k in ("hash", "height") for k, _ in event.attributes):
                        continue  # reserved (state/txindex/kv)
                    for k, v in event.attributes:
                        rows.append((f"{event.type}.{k}\x00{v}\x00".encode() + position, h))
                txn.cursor(db=self._attrs).putmulti(rows)
            if height > self._info_int(txn, _RESULTS_HEIGHT):
                txn.put(_RESULTS_HEIGHT, key, db=self._info)

    def results(self, height: int) -> BlockResults | None:
        with self._env.begin() as txn:
            raw = txn.get(_be64(height), db=self._results)
            return None if raw is None else BlockResults.from_bytes(bytes(raw))

    def tx(self, tx_hash: bytes) -> TxRecord | None:
        if len(tx_hash) != HASH_SIZE:
            return None
        with self._env.begin() as txn:
            raw = txn.get(tx_hash, db=self._txs)
            return None if raw is None else _record(tx_hash, bytes(raw))

    def search_txs(self, query: Query) -> list[TxRecord]:
        """Every indexed tx matching `query`, ordered by (height, index)."""
        with self._env.begin() as txn:
            candidates = self._candidates(txn, query)
            found: dict[bytes, TxRecord] = {}
            for h in candidates:
                if h in found:
                    continue
                raw = txn.get(h, db=self._txs)
                if raw is None:
                    continue
                record = _record(h, bytes(raw))
                if query.matches_tx(record.result.events, record.special()):
                    found[h] = record
        return sorted(found.values(), key=lambda r: (r.height, r.index))

    def _candidates(self, txn: Any, query: Query) -> Iterator[bytes]:
        conds = query.conditions
        for c in conds:
            if c.tag == "tx.hash" and c.op == "=" and c.kind == "str":
                with contextlib.suppress(ValueError):
                    yield bytes.fromhex(c.text)
                return
        for c in conds:
            if c.tag not in _SPECIAL and c.op == "=" and c.kind == "str":
                yield from self._scan(txn, self._attrs, c.tag.encode() + _SEP + c.text.encode() + _SEP)
                return
        heights = [c for c in conds if c.tag == "tx.height" and c.kind == "num"]
        if heights:
            lo, hi = _height_range(heights)
            cursor = txn.cursor(db=self._tx_by_height)
            if cursor.set_range(_be64(lo)):
                for k, v in cursor:
                    if int.from_bytes(k[:8], "big") > hi:
                        break
                    yield bytes(v)
            return
        for c in conds:
            if c.tag not in _SPECIAL:
                yield from self._scan(txn, self._attrs, c.tag.encode() + _SEP)
                return
        yield from (bytes(v) for _, v in txn.cursor(db=self._tx_by_height))

    @staticmethod
    def _scan(txn: Any, db: Any, prefix: bytes) -> Iterator[bytes]:
        cursor = txn.cursor(db=db)
        if not cursor.set_range(prefix):
            return
        for k, v in cursor:
            if not bytes(k).startswith(prefix):
                break
            yield bytes(v)


def _tx_result_bytes(height: int, index: int, tx: bytes, result: bytes) -> bytes:
    """abci.TxResult{height, index, tx, result} (result is non-nullable: always written)."""
    head = b"\x08" + uvarint(height) + (b"\x10" + uvarint(index) if index else b"")
    return head + pb_field(3, tx) + pb_field(4, result)


def _record(tx_hash: bytes, raw: bytes) -> TxRecord:
    pb = abci_pb2.TxResult.FromString(raw)
    return TxRecord(tx_hash, pb.height, pb.index, pb.tx, ExecResult.from_proto(pb.result))


def _height_range(conds: Sequence[Condition]) -> tuple[int, int]:
    lo, hi = 0, 2**63 - 1
    for c in conds:
        n = c.number
        whole = int(n)
        if c.op == "=":
            lo, hi = max(lo, whole), min(hi, whole)
        elif c.op == ">":
            lo = max(lo, whole + 1)
        elif c.op == ">=":
            lo = max(lo, whole if n == whole else whole + 1)
        elif c.op == "<":
            hi = min(hi, whole - 1 if n == whole else whole)
        elif c.op == "<=":
            hi = min(hi, whole)
    return max(lo, 0), max(hi, 0)
