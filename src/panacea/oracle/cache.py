"""Chain reads of the oracle's cores cached per block height (issue 11: "not fetched per request").

Every ValidateData reads a deal and the provider's account, every GetSecretKey a deal, a consent and the
consumer's account. At thousands of requests per second those reads would make the node the bottleneck, so
:class:`CachedReader` keeps each answer for the height it was read at (the latest height is asked for at most
every ``refresh_seconds``) and some for good:

- an account's public key never changes once set (the SDK sets it on the first tx and never again);
- a consent is never modified or deleted once stored;
- a deal, the oracle params, a DID document, "not found" answers and accounts without a key are kept for one
  height only (a DID updated or deactivated on chain is never served stale once a newer height is read).

A DID document is a mutable protobuf message: every caller gets its own copy (REF-14: the reference's cache
handed out a document its resolver then rewrote in place), never the cached one.

Using a deal read one height late is safe: the chain checks the deal again when the consent arrives.
Concurrent requests for one key at one height share a single read (no stampede when the height moves).
Failures (chain unreachable) are never cached. Bounded: at most ``max_entries`` per kind, then cleared.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Final, TypeVar

from panacea.oracle.errors import Category, OracleError
from panacea.oracle.interfaces import OracleReader
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.did.v2 import did_pb2
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2

T = TypeVar("T")
MAX_ENTRIES: Final = 10_000


class _NotFound:
    """A cached "not found" answer (raised afresh each time: a stored exception would grow its traceback)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class CachedReader:
    """An :class:`OracleReader` over another, caching per height; ``height`` reads the latest height."""

    def __init__(self, inner: OracleReader, height: Callable[[], Awaitable[int]], *, refresh_seconds: float = 1.0,
                 clock: Callable[[], float] = time.monotonic, max_entries: int = MAX_ENTRIES) -> None:
        self.inner = inner
        self._latest = height
        self.refresh_seconds = refresh_seconds
        self._clock = clock
        self._max = max_entries
        self._height = 0
        self._checked_at: float | None = None
        self._per_height: dict[tuple[object, ...], tuple[int, object]] = {}
        self._pubkeys: dict[str, bytes] = {}
        self._consents: dict[tuple[int, str], consent_pb2.Consent] = {}
        self._flights: dict[tuple[tuple[object, ...], int], asyncio.Future[tuple[int, object]]] = {}
        self.fetches = 0  # reads passed to the inner reader (tests and metrics)

    async def height(self) -> int:
        """The latest height, asked again once ``refresh_seconds`` have passed."""
        now = self._clock()
        if self._checked_at is None or now - self._checked_at >= self.refresh_seconds:
            self._height = await self._latest()
            self._checked_at = now
        return self._height

    async def _at_height(self, key: tuple[object, ...], fetch: Callable[[], Awaitable[T]]) -> T:
        height = await self.height()
        hit = self._per_height.get(key)
        if hit is None or hit[0] != height:
            flight = self._flights.get((key, height))
            if flight is None:  # one read per key and height, however many requests want it at once
                flight = self._flights[(key, height)] = asyncio.ensure_future(self._fetch(key, height, fetch))
                flight.add_done_callback(lambda _f: self._flights.pop((key, height), None))
            hit = await asyncio.shield(flight)
        if isinstance(hit[1], _NotFound):
            raise OracleError(hit[1].message, Category.NOT_FOUND)
        return hit[1]  # type: ignore[return-value]  # stored under the key of its own type

    async def _fetch(self, key: tuple[object, ...], height: int,
                     fetch: Callable[[], Awaitable[T]]) -> tuple[int, object]:
        self.fetches += 1
        value: object
        try:
            value = await fetch()
        except OracleError as e:
            if e.category is not Category.NOT_FOUND:
                raise
            value = _NotFound(e.message)
        if len(self._per_height) >= self._max:
            self._per_height.clear()
        hit = self._per_height[key] = (height, value)
        return hit

    async def deal(self, deal_id: int) -> deal_pb2.Deal:
        """The deal at the latest height."""
        return await self._at_height(("deal", deal_id), lambda: self.inner.deal(deal_id))

    async def consent(self, deal_id: int, data_hash: str) -> consent_pb2.Consent:
        """A stored consent (kept for good); "not found" is kept for one height."""
        known = self._consents.get((deal_id, data_hash))
        if known is not None:
            return known
        consent = await self._at_height(("consent", deal_id, data_hash), lambda: self.inner.consent(deal_id, data_hash))
        if len(self._consents) >= self._max:
            self._consents.clear()
        self._consents[(deal_id, data_hash)] = consent
        return consent

    async def account_public_key(self, address: str) -> bytes | None:
        """The account's key (kept for good once set)."""
        known = self._pubkeys.get(address)
        if known is not None:
            return known
        key = await self._at_height(("account", address), lambda: self.inner.account_public_key(address))
        if key is not None:
            if len(self._pubkeys) >= self._max:
                self._pubkeys.clear()
            self._pubkeys[address] = key
        return key

    async def oracle_params(self) -> genesis_pb2.Params:
        """The oracle params at the latest height."""
        return await self._at_height(("params",), self.inner.oracle_params)

    async def did_document(self, did: str) -> did_pb2.DIDDocumentWithSeq:
        """The DID's record at the latest height, as a copy of the cached one (the caller may change it)."""
        cached = await self._at_height(("did", did), lambda: self.inner.did_document(did))
        document = did_pb2.DIDDocumentWithSeq()
        document.CopyFrom(cached)
        return document
