"""The embedded engine's mempool: CheckTx-passed txs in arrival order, reaped into blocks by size and gas."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

CACHE_SIZE = 10_000  # mempool.cache_size


class MempoolError(Exception):
    """CheckTx never ran or the tx cannot enter the mempool (CometBFT returns these as RPC errors)."""


@dataclass
class _MempoolTx:
    tx: bytes
    gas_wanted: int


class Mempool:
    """FIFO of CheckTx-passed txs plus CometBFT's LRU cache of seen tx hashes."""

    def __init__(self, size: int, cache_size: int = CACHE_SIZE) -> None:
        self.size = size
        self.cache_size = cache_size
        self.txs: OrderedDict[bytes, _MempoolTx] = OrderedDict()
        self.cache: OrderedDict[bytes, None] = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()

    def cache_push(self, h: bytes) -> bool:
        if h in self.cache:
            self.cache.move_to_end(h)
            return False
        self.cache[h] = None
        if len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return True

    def add(self, h: bytes, tx: bytes, gas_wanted: int) -> None:
        with self.lock:
            self.txs[h] = _MempoolTx(tx, gas_wanted)
            self.bytes += len(tx)

    def remove(self, h: bytes) -> None:
        with self.lock:
            entry = self.txs.pop(h, None)
            if entry is not None:
                self.bytes -= len(entry.tx)

    def reap(self, max_txs: int, max_bytes: int, max_gas: int) -> list[bytes]:
        out: list[bytes] = []
        total_bytes = total_gas = 0
        with self.lock:
            for entry in self.txs.values():
                if len(out) >= max_txs:
                    break
                size = len(entry.tx) + 8  # proto overhead of a repeated bytes field, roughly (ComputeProtoSizeForTxs)
                if max_bytes > 0 and total_bytes + size > max_bytes:
                    break
                if max_gas >= 0 and total_gas + entry.gas_wanted > max_gas:
                    break
                total_bytes += size
                total_gas += entry.gas_wanted
                out.append(entry.tx)
        return out

    def snapshot(self, limit: int | None = None) -> list[bytes]:
        with self.lock:
            items = list(self.txs.values())
        return [e.tx for e in (items if limit is None else items[:limit])]

    def __len__(self) -> int:
        return len(self.txs)
