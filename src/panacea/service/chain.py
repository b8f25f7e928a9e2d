"""The chain reads a service makes per request, cached per block height (issue 11: "not fetched per request").

A service asks the node for its latest height at most every ``refresh_seconds``; an answer (the oracle params,
a deal, an account, or "not found") is reused while the height stays the same. An account's public key never
changes once set (the SDK sets it on the first tx and never again), so a set key is kept across heights.
Departure from §1.7/§6: reads are plain JSON-RPC ABCI queries through panacea.client, not light-client
verified (the verified query client is the oracle's, issue 11 next session).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Final, TypeVar

from panacea.client import Account, AsyncChainClient, NotFoundError
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2

T = TypeVar("T")
MAX_ENTRIES: Final = 10_000


class ChainView:
    """Cached reads of one node for one worker process (create it inside the worker's event loop)."""

    def __init__(self, client: AsyncChainClient, *, refresh_seconds: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.refresh_seconds = refresh_seconds
        self._clock = clock
        self._height = 0
        self._checked_at: float | None = None
        self._cache: dict[object, tuple[int, object]] = {}
        self._pubkeys: dict[str, bytes] = {}
        self.fetches = 0  # chain queries made for cached values (tests and metrics read it)

    async def height(self) -> int:
        """The latest height seen, asked again once ``refresh_seconds`` have passed."""
        now = self._clock()
        if self._checked_at is None or now - self._checked_at >= self.refresh_seconds:
            self._height = (await self.client.status()).latest_height
            self._checked_at = now
        return self._height

    async def _cached(self, key: object, fetch: Callable[[], Awaitable[T]]) -> T:
        height = await self.height()
        hit = self._cache.get(key)
        if hit is None or hit[0] != height:
            self.fetches += 1
            try:
                value: object = await fetch()
            except NotFoundError as e:
                value = e
            if len(self._cache) >= MAX_ENTRIES:
                self._cache.clear()
            hit = self._cache[key] = (height, value)
        if isinstance(hit[1], NotFoundError):
            raise hit[1]
        return hit[1]  # type: ignore[return-value]  # stored under the key of its own type

    async def oracle_params(self) -> genesis_pb2.Params:
        """The oracle module params at the latest height (the shared oracle public key)."""
        return await self._cached(("oracle_params",), self.client.oracle_params)

    async def deal(self, deal_id: int) -> deal_pb2.Deal:
        """Deal ``deal_id`` at the latest height; NotFoundError when there is none."""
        return await self._cached(("deal", deal_id), lambda: self.client.deal(deal_id))

    async def account_pubkey(self, address: str) -> bytes | None:
        """The compressed public key of ``address`` (None before its first tx): a set key is cached for good."""
        known = self._pubkeys.get(address)
        if known is not None:
            return known
        acc: Account = await self._cached(("account", address), lambda: self.client.account(address))
        if acc.pubkey is not None:
            if len(self._pubkeys) >= MAX_ENTRIES:
                self._pubkeys.clear()
            self._pubkeys[address] = acc.pubkey
        return acc.pubkey
