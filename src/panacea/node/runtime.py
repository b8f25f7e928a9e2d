"""Process settings for a long-running node."""

from __future__ import annotations

import gc

GC_GEN0_THRESHOLD = 50_000


def tune_gc() -> None:
    """A node allocates many short-lived, acyclic objects per tx: freeze what start-up built and collect the
    youngest generation far less often (CPython's default of 700 allocations costs ~8% of throughput)."""
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, gen1, gen2)
