"""Key-value views stacked over the committed store: block cache → tx cache → gas meter → module prefix.

Only the block cache's flushed changes ever reach :class:`panacea.chain.store.Store`, at commit.
Iteration is always in bytewise key order, so keepers never depend on dict order.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterator
from typing import Final, Protocol

from panacea.chain.gas import GasConfig, GasMeter, OutOfGas


class KVStore(Protocol):
    def get(self, key: bytes) -> bytes | None: ...

    def set(self, key: bytes, value: bytes) -> None: ...

    def delete(self, key: bytes) -> None: ...

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]: ...


class ReadSource(Protocol):
    """What the committed store offers (``panacea.chain.store.Store``)."""

    def get(self, key: bytes, version: int | None = None) -> bytes | None: ...

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, *, version: int | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]: ...


@functools.lru_cache(maxsize=4096)
def prefix_end(prefix: bytes) -> bytes | None:
    """The smallest key greater than every key starting with ``prefix`` (None = unbounded)."""
    b = bytearray(prefix)
    while b:
        if b[-1] != 0xFF:
            b[-1] += 1
            return bytes(b)
        b.pop()
    return None


class ReadOnlyError(Exception):
    pass


class CommittedKV:
    """Committed state at one version; queries read only this. Reads are memoised: the committed state
    under a view never changes (a new view is made after every commit)."""

    __slots__ = ("_reads", "_src", "_version")

    def __init__(self, src: ReadSource, version: int | None = None) -> None:
        self._src = src
        self._version = version
        self._reads: dict[bytes, bytes | None] = {}

    def get(self, key: bytes) -> bytes | None:
        reads = self._reads
        if key in reads:
            return reads[key]
        value = reads[key] = self._src.get(key, self._version)
        return value

    def set(self, key: bytes, value: bytes) -> None:
        raise ReadOnlyError("committed state is read-only")

    def delete(self, key: bytes) -> None:
        raise ReadOnlyError("committed state is read-only")

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        return self._src.iterate(start, end, version=self._version, reverse=reverse)


class MemKV:
    """An empty base, for state machines run without a store (tests, simulation previews)."""

    def get(self, key: bytes) -> bytes | None:
        return None

    def set(self, key: bytes, value: bytes) -> None:
        raise ReadOnlyError("base is read-only")

    def delete(self, key: bytes) -> None:
        raise ReadOnlyError("base is read-only")

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        return iter(())


_ABSENT: Final = object()  # undo record: the key had no buffered write


class CacheKV:
    """Buffered writes over a parent; ``write()`` flushes them, dropping the cache discards them.

    A savepoint makes the writes after it revocable in place (``rollback``), so a tx's ante and message
    phases need no cache of their own over the block cache."""

    __slots__ = ("_journal", "_parent", "_sorted", "writes")

    def __init__(self, parent: KVStore) -> None:
        self._parent = parent
        self.writes: dict[bytes, bytes | None] = {}
        self._sorted: list[bytes] | None = None
        self._journal: list[tuple[bytes, object]] | None = None

    def get(self, key: bytes) -> bytes | None:
        w = self.writes
        if key in w:
            return w[key]
        return self._parent.get(key)

    def set(self, key: bytes, value: bytes) -> None:
        if not key:
            raise ValueError("key is empty")
        writes = self.writes  # ``_put`` inlined (every store write of a tx lands here)
        if key in writes:
            previous: object = writes[key]
        else:
            previous = _ABSENT
            self._sorted = None
        if self._journal is not None:
            self._journal.append((key, previous))
        writes[key] = value

    def delete(self, key: bytes) -> None:
        self._put(key, None)

    def _put(self, key: bytes, value: bytes | None) -> None:
        writes = self.writes
        if key in writes:
            previous: object = writes[key]
        else:
            previous = _ABSENT
            self._sorted = None
        if self._journal is not None:
            self._journal.append((key, previous))
        writes[key] = value

    def savepoint(self) -> None:
        """Start recording undo entries (savepoints do not nest)."""
        if self._journal is not None:
            raise RuntimeError("savepoint already open")
        self._journal = []

    def release(self) -> None:
        """Keep every write since the savepoint."""
        self._journal = None

    def rollback(self) -> None:
        """Undo every write since the savepoint, newest first."""
        journal = self._journal
        self._journal = None
        if not journal:
            return
        writes = self.writes
        for key, previous in reversed(journal):
            if previous is _ABSENT:
                del writes[key]
            else:
                writes[key] = previous  # type: ignore[assignment]  # bytes | None, as recorded
        self._sorted = None

    def write(self) -> None:
        parent = self._parent
        for k, v in self.writes.items():
            if v is None:
                parent.delete(k)
            else:
                parent.set(k, v)
        self.writes = {}
        self._sorted = None

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        if self._sorted is None:
            self._sorted = sorted(self.writes)
        keys = self._sorted
        lo = 0 if start is None else bisect.bisect_left(keys, start)
        hi = len(keys) if end is None else bisect.bisect_left(keys, end)
        mine = keys[lo:hi]
        if reverse:
            mine.reverse()
        return _merge(self._parent.iterate(start, end, reverse), mine, self.writes, reverse)


def _merge(
    parent: Iterator[tuple[bytes, bytes]], mine: list[bytes], writes: dict[bytes, bytes | None], reverse: bool
) -> Iterator[tuple[bytes, bytes]]:
    i = 0
    n = len(mine)
    for pk, pv in parent:
        while i < n and (mine[i] > pk if reverse else mine[i] < pk):
            v = writes[mine[i]]
            if v is not None:
                yield mine[i], v
            i += 1
        if i < n and mine[i] == pk:
            v = writes[pk]
            i += 1
            if v is not None:
                yield pk, v
            continue
        yield pk, pv
    while i < n:
        v = writes[mine[i]]
        if v is not None:
            yield mine[i], v
        i += 1


class GasKV:
    """Charges the Cosmos KV gas costs to a meter for every access."""

    __slots__ = ("_cfg", "_meter", "_parent")

    def __init__(self, parent: KVStore, meter: GasMeter, cfg: GasConfig) -> None:
        self._parent = parent
        self._meter = meter
        self._cfg = cfg

    def get(self, key: bytes) -> bytes | None:
        cfg = self._cfg
        self._meter.consume(cfg.read_cost_flat, "ReadFlat")
        v = self._parent.get(key)
        self._meter.consume(cfg.read_cost_per_byte * (len(key) + (len(v) if v is not None else 0)), "ReadPerByte")
        return v

    def set(self, key: bytes, value: bytes) -> None:
        cfg = self._cfg
        self._meter.consume(cfg.write_cost_flat, "WriteFlat")
        self._meter.consume(cfg.write_cost_per_byte * (len(key) + len(value)), "WritePerByte")
        self._parent.set(key, value)

    def delete(self, key: bytes) -> None:
        self._meter.consume(self._cfg.delete_cost, "Delete")
        self._parent.delete(key)

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        cfg = self._cfg
        for k, v in self._parent.iterate(start, end, reverse):
            self._meter.consume(cfg.iter_next_cost_flat, "IterNextFlat")
            self._meter.consume(cfg.read_cost_per_byte * (len(k) + len(v)), "ValuePerByte")
            yield k, v


class PrefixKV:
    """A module's own key space inside the one authenticated tree."""

    __slots__ = ("_end", "_parent", "_prefix")

    def __init__(self, parent: KVStore, prefix: bytes) -> None:
        self._parent = parent
        self._prefix = prefix
        self._end = prefix_end(prefix)

    def get(self, key: bytes) -> bytes | None:
        return self._parent.get(self._prefix + key)

    def set(self, key: bytes, value: bytes) -> None:
        self._parent.set(self._prefix + key, value)

    def delete(self, key: bytes) -> None:
        self._parent.delete(self._prefix + key)

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        p = self._prefix
        s = p + start if start is not None else p
        e = p + end if end is not None else self._end
        n = len(p)
        for k, v in self._parent.iterate(s, e, reverse):
            yield k[n:], v

    def iterate_prefix(self, prefix: bytes, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]:
        return self.iterate(prefix, prefix_end(prefix), reverse)


class StoreView:
    """A module's gas-metered key space: ``GasKV(PrefixKV(cache))`` in one object, walking the cache
    layers inline (the per-op path of every keeper, so it is kept flat)."""

    __slots__ = ("_cache", "_cfg", "_meter", "_prefix")

    def __init__(self, cache: KVStore, prefix: bytes, meter: GasMeter, cfg: GasConfig) -> None:
        self._cache = cache
        self._prefix = prefix
        self._meter = meter
        self._cfg = cfg

    def get(self, key: bytes) -> bytes | None:
        full = self._prefix + key
        layer = self._cache
        while type(layer) is CacheKV:
            writes = layer.writes
            if full in writes:
                v = writes[full]
                break
            layer = layer._parent
        else:  # a committed read already memoised is taken without the call
            v = layer._reads[full] if type(layer) is CommittedKV and full in layer._reads else layer.get(full)
        # Charged as ReadFlat before and ReadPerByte after the read; reads change nothing, so charging
        # both after it runs out of gas at the same point with the same totals. This is
        # ``GasMeter.consume_two`` inlined (the most frequent call of a tx).
        cfg = self._cfg
        meter = self._meter
        limit = meter.limit
        consumed = meter.consumed + cfg.read_cost_flat
        if limit is not None and consumed > limit:
            meter.consumed = consumed
            raise OutOfGas("ReadFlat", limit, consumed)
        meter.consumed = consumed = consumed + cfg.read_cost_per_byte * (len(key) + (len(v) if v is not None else 0))
        if limit is not None and consumed > limit:
            raise OutOfGas("ReadPerByte", limit, consumed)
        return v

    def set(self, key: bytes, value: bytes) -> None:
        cfg = self._cfg
        meter = self._meter  # GasMeter.consume_two inlined, as in get
        limit = meter.limit
        consumed = meter.consumed + cfg.write_cost_flat
        if limit is not None and consumed > limit:
            meter.consumed = consumed
            raise OutOfGas("WriteFlat", limit, consumed)
        meter.consumed = consumed = consumed + cfg.write_cost_per_byte * (len(key) + len(value))
        if limit is not None and consumed > limit:
            raise OutOfGas("WritePerByte", limit, consumed)
        self._cache.set(self._prefix + key, value)

    def delete(self, key: bytes) -> None:
        self._meter.consume(self._cfg.delete_cost, "Delete")
        self._cache.delete(self._prefix + key)

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        cfg = self._cfg
        meter = self._meter
        p = self._prefix
        n = len(p)
        s = p + start if start is not None else p
        e = p + end if end is not None else prefix_end(p)
        for k, v in self._cache.iterate(s, e, reverse):
            meter.consume_two(
                cfg.iter_next_cost_flat, "IterNextFlat", cfg.read_cost_per_byte * (len(k) - n + len(v)), "ValuePerByte"
            )
            yield k[n:], v
