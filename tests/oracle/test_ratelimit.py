"""The rate limit of oracle-reference §1.6/§8 with an injected clock (exact waits, exact texts), its state shared by
two processes on one store, per-caller fairness, and the 429 through the real app."""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from panacea.oracle.config import ConfigError, Duration, from_toml
from panacea.oracle.ratelimit import RATE_LIMITED, RateLimiter, RateLimitError
from panacea.service.store import Store
from tests.client.nodekit import Node, free_port
from tests.oracle.appkit import OracleThread, error, oracle_config
from tests.oracle.kit import OracleKit

SECOND = 1_000_000_000
MESSAGE = ("failed with timeout while waiting for rate limiting. please retry later. "
           "rate: Wait(n=1) would exceed context deadline")


@dataclass
class FakeClock:
    """A monotonic clock in ns that only moves when a test says so (picklable for the second process)."""

    now: int = 5 * SECOND

    def __call__(self) -> int:
        return self.now

    def advance(self, ns: int) -> None:
        self.now += ns


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "store")
    yield s
    s.close()


def _limiter(store: Store, clock: FakeClock, rate: int = 10, timeout: int = SECOND, percent: int = 100) -> RateLimiter:
    return RateLimiter(store, rate, timeout, percent, clock=clock)


def _burst(limiter: RateLimiter, n: int, caller: str = "10.0.0.1") -> list[int | str]:
    """The wait (ns) of each of ``n`` simultaneous requests, or the error text."""
    out: list[int | str] = []
    for _ in range(n):
        try:
            out.append(limiter.reserve(caller))
        except RateLimitError as e:
            assert (e.status, e.code) == (429, 8)
            out.append(e.message)
    return out


def test_reference_text() -> None:
    assert RATE_LIMITED == MESSAGE


def test_ten_at_limit_ten_never_wait(store: Store) -> None:
    assert _burst(_limiter(store, FakeClock()), 10) == [0] * 10


def test_thirty_at_limit_ten_with_one_second_wait(store: Store) -> None:
    """§1.6: the first 10 immediate, the next 10 wait 0.1 s … 1.0 s, the last 10 fail at once."""
    waits = _burst(_limiter(store, FakeClock()), 30)
    assert waits == [0] * 10 + [k * SECOND // 10 for k in range(1, 11)] + [MESSAGE] * 10


def test_refill_after_one_point_one_seconds(store: Store) -> None:
    clock = FakeClock()
    limiter = _limiter(store, clock)
    assert _burst(limiter, 10) == [0] * 10
    clock.advance(SECOND * 11 // 10)
    assert _burst(limiter, 10) == [0] * 10
    assert limiter.tokens() == 0.0
    clock.advance(SECOND // 10 * 3)  # 3 tokens back; never more than the burst
    assert limiter.tokens() == 3.0
    clock.advance(60 * SECOND)
    assert limiter.tokens() == 10.0


def test_a_failed_request_takes_no_token(store: Store) -> None:
    clock = FakeClock()
    limiter = _limiter(store, clock, rate=2, timeout=0)
    assert _burst(limiter, 3) == [0, 0, MESSAGE]
    clock.advance(SECOND // 2)
    assert _burst(limiter, 2) == [0, MESSAGE]


def test_a_clock_behind_the_stored_time_restarts_the_refill(store: Store) -> None:
    clock = FakeClock()
    assert _burst(_limiter(store, clock, rate=1, timeout=0), 1) == [0]
    clock.now = 0  # e.g. after a reboot: monotonic time starts again
    limiter = _limiter(store, clock, rate=1, timeout=0)
    assert _burst(limiter, 1) == [MESSAGE]
    clock.advance(SECOND)
    assert _burst(limiter, 1) == [0]


def test_wait_sleeps_the_reserved_delay(store: Store) -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    limiter = RateLimiter(store, 4, SECOND, clock=FakeClock(), sleep=sleep)

    async def main() -> None:
        for _ in range(6):
            await limiter.wait("a")

    asyncio.run(main())
    assert slept == [0.25, 0.5]


def _take(path: str, now: int, n: int) -> list[int | str]:
    """In the second process: its own Store handle on the same home, ``n`` requests at time ``now``."""
    store = Store(Path(path))
    try:
        return _burst(_limiter(store, FakeClock(now)), n)
    finally:
        store.close()


def test_two_processes_share_one_bucket(tmp_path: Path) -> None:
    path = tmp_path / "store"
    parent = Store(path)  # both handles open at once, as two uvicorn workers
    try:
        clock = FakeClock()
        limiter = _limiter(parent, clock)
        assert _burst(limiter, 3) == [0, 0, 0]
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            assert pool.apply(_take, (str(path), clock.now, 9)) == [0] * 7 + [SECOND // 10, SECOND // 5]
        assert _burst(limiter, 1) == [SECOND * 3 // 10]
        assert limiter.tokens() == -3.0
    finally:
        parent.close()


def test_one_caller_cannot_starve_the_others(store: Store) -> None:
    """Without fairness a burst of A reserves the whole window and B fails; with 50 % each gets 10 of 20."""
    clock = FakeClock()
    unfair = _limiter(store, clock)
    assert _burst(unfair, 25, "A") == [0] * 10 + [k * SECOND // 10 for k in range(1, 11)] + [MESSAGE] * 5
    assert _burst(unfair, 1, "B") == [MESSAGE]

    clock.advance(60 * SECOND)
    fair = _limiter(store, clock, percent=50)
    assert _burst(fair, 20, "A") == [0] * 5 + [k * SECOND // 5 for k in range(1, 6)] + [MESSAGE] * 10
    assert fair.tokens("A") == -5.0
    # B waits for the shared bucket (A took its burst), never for A's share
    assert _burst(fair, 11, "B") == [k * SECOND // 10 for k in range(1, 11)] + [MESSAGE]
    clock.advance(2 * SECOND)
    assert _burst(fair, 1, "B") == [0]


def test_refilled_caller_buckets_are_swept(store: Store) -> None:
    clock = FakeClock()
    limiter = _limiter(store, clock, percent=50)
    for caller in ("a", "b", "c"):
        limiter.reserve(caller)
    clock.advance(SECOND // 5)  # a share of 5/s: one token back, all three full again
    limiter.reserve("a")
    assert limiter.sweep() == 2
    clock.advance(SECOND // 5)
    assert limiter.sweep() == 1
    assert limiter.sweep() == 0


def test_config_keys() -> None:
    cfg = from_toml('[api]\nrate-limits = 3\nrate-limit-wait-timeout = "250ms"\nrate-limit-caller-percent = 100\n')
    assert (cfg.api.rate_limits, cfg.api.rate_limit_wait_timeout, cfg.api.rate_limit_caller_percent) == (
        3, Duration(SECOND // 4), 100)
    for bad, message in (("rate-limits = 0", "invalid config api.rate-limits: must be positive"),
                         ("rate-limit-caller-percent = 0",
                          "invalid config api.rate-limit-caller-percent: must be in [1, 100]")):
        with pytest.raises(ConfigError) as info:
            from_toml(f"[api]\n{bad}\n")
        assert info.value.message == message


def test_http_429_then_recovery(oracle: OracleKit, node: Node) -> None:
    """Through the real app: one token a second and (almost) no wait; the limit comes before auth."""
    clock = FakeClock()
    cfg = oracle_config(oracle, node, free_port(), rate_limits=1, rate_limit_wait_timeout=Duration(1),
                        rate_limit_caller_percent=100)
    with OracleThread(oracle.home.root, cfg, clock) as s, httpx.Client(base_url=s.url, timeout=30) as api:
        assert api.get("/v0/status").status_code == 200
        limited = (429, {"code": 8, "message": MESSAGE})
        assert error(api.get("/v0/status")) == limited
        assert error(api.post("/v0/data-deal/deals/1/data", content=b"{}")) == limited  # not 401: limit first
        assert api.get("/openapi.json").status_code == 200
        clock.advance(SECOND)
        assert api.get("/v0/status").status_code == 200
        assert error(api.get("/v0/status")) == limited
