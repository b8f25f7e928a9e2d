"""Bounded memo tables for pure functions on the hot paths (addresses, keys, decodings, signatures).

A plain dict, emptied when it reaches its limit: cheaper to consult from compiled code than
``functools.lru_cache`` and no GC-tracked bookkeeping per entry. Only what a pure function returned for
a key is ever entered, so what a table holds never changes a result, only the time spent.
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def remember(table: dict[K, V], key: K, value: V, limit: int) -> V:
    """Enter ``key -> value`` (emptying ``table`` first when it holds ``limit`` entries); returns ``value``."""
    if len(table) >= limit:
        table.clear()
    table[key] = value
    return value
