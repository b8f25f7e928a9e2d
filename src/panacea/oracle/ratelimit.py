"""The API's rate limit (oracle-reference §1.6, issue 11 item 5): one token bucket shared by all worker processes.

Reference semantics, kept exactly: rate = ``api.rate-limits`` (N) tokens per second, burst = N. A request
reserves a token, waiting for it at most ``api.rate-limit-wait-timeout``; when the wait it would need is longer,
it fails at once (no sleep) with HTTP 429 and the reference text :data:`RATE_LIMITED`. Tokens are fixed-point
integers (one token = :data:`SCALE` units, N units per nanosecond) so waits are exact: with N = 10 and a 1 s
timeout, 30 simultaneous requests give 10 immediate, 10 waiting 0.1 s … 1.0 s, and 10 failures.

The state (tokens, last update) lives in the service store (LMDB, ``ratelimit`` database) and every
reservation is one write transaction, so the uvicorn workers share one bucket. The clock is injectable
(``time.monotonic_ns`` by default: one system-wide clock for all processes; a clock behind the stored time, as
after a reboot, just restarts the refill from now, like Go's limiter).

Departure: per-caller fairness (the reference is server-wide only). Each caller also has a sub-bucket of rate =
burst = ``api.rate-limit-caller-percent`` % of N (at least 1); a request must reserve a token in both, it waits
for the later of the two, and when either wait is too long neither is taken. So one caller is granted tokens
at most at its share of the rate, and the others keep the rest of the bucket once its burst is spent. The
caller is the client's IP address: known before auth runs (the limit comes first, as in the reference) and not
forgeable over TCP, unlike a JWT's ``iss``, which is only verified after the limiter. 100 % turns it off.
Sub-buckets that have refilled are swept, so the store holds only recently active callers.
"""

from __future__ import annotations

import asyncio
import struct
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from panacea.service.errors import ServiceError
from panacea.service.store import Store, StoreFullError

SCALE: Final = 1_000_000_000
RATE_LIMITED: Final = ("failed with timeout while waiting for rate limiting. please retry later. "
                       "rate: Wait(n=1) would exceed context deadline")
Clock = Callable[[], int]
Sleep = Callable[[float], Awaitable[None]]
_STATE: Final = struct.Struct(">qq")  # tokens (scaled; negative = reserved ahead), last update (ns)
_GLOBAL: Final = b"*"
_CALLER: Final = b"c:"
_SWEEP_EVERY: Final = 256  # reservations between sweeps of refilled sub-buckets (per process)
_SWEEP_BATCH: Final = 4096


class RateLimitError(ServiceError):
    """The token would come later than the wait timeout allows: 429 with the reference text."""

    def __init__(self) -> None:
        super().__init__(429, RATE_LIMITED)


@dataclass(frozen=True)
class Bucket:
    """A token bucket's arithmetic (rate = burst), kept pure so its semantics are tested without a store."""

    rate: int

    def refill(self, state: tuple[int, int] | tuple[int, int, bool] | None, now: int) -> int:
        """The scaled tokens at ``now`` (a fresh bucket is full; never more than the burst)."""
        if state is None:
            return self.rate * SCALE
        tokens, last = state[0], state[1]
        return min(self.rate * SCALE, tokens + max(0, now - last) * self.rate)

    def reserve(self, state: tuple[int, int] | tuple[int, int, bool] | None, now: int,
                limit_ns: int) -> tuple[int, tuple[int, int]] | None:
        """The wait (ns) and the new state after taking one token; None when the wait exceeds ``limit_ns``."""
        tokens = self.refill(state, now) - SCALE
        wait = 0 if tokens >= 0 else (-tokens + self.rate - 1) // self.rate
        return None if wait > limit_ns else (wait, (tokens, now))


class RateLimiter:
    """The shared bucket plus per-caller sub-buckets, in one store; ``wait`` is what a request awaits."""

    def __init__(self, store: Store, rate: int, timeout_ns: int, caller_percent: int = 100, *,
                 clock: Clock = time.monotonic_ns, sleep: Sleep = asyncio.sleep) -> None:
        if rate <= 0 or not 1 <= caller_percent <= 100:
            raise ValueError("rate must be positive and caller_percent in [1, 100]")
        self._store = store
        self._db = store.db(b"ratelimit")
        self._global = Bucket(rate)
        self._caller = None if caller_percent == 100 else Bucket(max(1, rate * caller_percent // 100))
        self._timeout = timeout_ns
        self._clock = clock
        self._sleep = sleep
        self._reservations = 0

    async def wait(self, caller: str) -> None:
        """Reserve a token for ``caller`` and sleep until it is due; RateLimitError when it would be too late."""
        delay = self.reserve(caller)
        if delay:
            await self._sleep(delay / SCALE)

    def reserve(self, caller: str) -> int:
        """Take a token in the shared bucket and the caller's (atomically): the ns to wait for the later one."""
        now = self._clock()
        self._reservations += 1
        if self._reservations % _SWEEP_EVERY == 0:
            self.sweep()
        try:
            return self._reserve(caller, now)
        except StoreFullError:
            self.sweep(batch=None)
            return self._reserve(caller, now)

    def _reserve(self, caller: str, now: int) -> int:
        buckets = [(_GLOBAL, self._global)]
        if self._caller is not None:
            buckets.append((_caller_key(caller), self._caller))
        with self._store.write() as txn:
            states = [(key, bucket, self._state(txn.get(key, db=self._db), now)) for key, bucket in buckets]
            got = [bucket.reserve(state, now, self._timeout) for _, bucket, state in states]
            ok = all(g is not None for g in got)
            for (key, _, state), g in zip(states, got, strict=True):
                if g is not None and ok:
                    txn.put(key, _STATE.pack(*g[1]), db=self._db)
                elif state is not None and state[2]:  # a clock behind the stored time: refill from now on
                    txn.put(key, _STATE.pack(state[0], now), db=self._db)
        if not ok:
            raise RateLimitError()  # neither bucket lost a token
        return max(g[0] for g in got if g is not None)

    @staticmethod
    def _state(raw: bytes | memoryview | None, now: int) -> tuple[int, int, bool] | None:
        """The stored (tokens, last), last clamped to ``now``, and whether it was clamped."""
        if raw is None:
            return None
        tokens, last = _STATE.unpack(raw)
        return (tokens, now, True) if last > now else (tokens, last, False)

    def sweep(self, batch: int | None = _SWEEP_BATCH) -> int:
        """Delete caller sub-buckets that are full again (a full one equals a fresh one); how many went."""
        if self._caller is None:
            return 0
        now, deleted, full = self._clock(), 0, self._caller.rate * SCALE
        with self._store.write() as txn:
            cursor = txn.cursor(db=self._db)
            ok = cursor.set_range(_CALLER)
            while ok and bytes(cursor.key()).startswith(_CALLER) and (batch is None or deleted < batch):
                if self._caller.refill(_STATE.unpack(bytes(cursor.value())), now) >= full:
                    ok = cursor.delete()
                    deleted += 1
                else:
                    ok = cursor.next()
        return deleted

    def tokens(self, caller: str | None = None) -> float:
        """The tokens now in the shared bucket (or ``caller``'s), for tests and status."""
        key, bucket = (_GLOBAL, self._global) if caller is None else (_caller_key(caller), self._caller)
        assert bucket is not None
        with self._store.env.begin() as txn:
            raw = txn.get(key, db=self._db)
        return bucket.refill(None if raw is None else _STATE.unpack(raw), self._clock()) / SCALE


def _caller_key(caller: str) -> bytes:
    # an IP address is short; the cap only keeps any caller string under LMDB's 511-byte key limit
    return _CALLER + caller.encode()[:400]
