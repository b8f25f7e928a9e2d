"""CometBFT events for clients (spec/cometbft.md §4.2, §4.3, §5): a websocket subscription, a runner that
keeps it alive, and the catch-up reads for a height range.

- :class:`EventSubscription`: one websocket to the node's ``/websocket``, a JSON-RPC ``subscribe`` per query;
  iterate it for the Tx events in the order the node pushes them (a background reader drains the socket, so
  pings are answered while the caller works; a caller that falls ``buffer`` events behind loses the
  subscription, as CometBFT drops slow subscribers).
- :func:`follow`: subscribe, run ``on_connect`` (catch up), hand each event to ``on_event``; any failure closes
  the socket and reconnects after a :class:`Backoff` delay (exponential, capped, injectable).
- :func:`search_txs` (``tx_search``, every page) and :func:`block_tx_events` (``block_results``): what was
  committed while nobody listened. ``tx_search`` reads the node's tx index, which CometBFT fills after the
  block's events are published; ``block_results`` is saved before that, so the newest blocks are read with it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

from panacea.client import rpc as shapes
from panacea.client.aio import AsyncChainClient
from panacea.client.errors import ChainClientError
from panacea.client.types import tx_hash
from panacea.types.events import Event

MAX_PER_PAGE = 100  # CometBFT's tx_search page limit
TX_EVENT = "tendermint/event/Tx"
_MAX_EXPONENT = 64  # Backoff: initial × factor^64 is past any sane maximum, and far from a float overflow


class SubscriptionError(ChainClientError):
    """The subscription could not be made, or it was lost (closed socket, error answer, slow reader)."""


@dataclass(frozen=True)
class TxEvent:
    """A committed tx's result: where it landed, its code and its ABCI events (``tx_hash`` "" when unknown)."""

    height: int
    index: int
    code: int
    events: tuple[Event, ...]
    tx_hash: str = ""

    @property
    def ok(self) -> bool:
        return self.code == 0

    def of_type(self, event_type: str) -> list[dict[str, str]]:
        """The attributes of each event of ``event_type``, in emission order (first value of a repeated key)."""
        out = []
        for ev in self.events:
            if ev.type == event_type:
                attrs: dict[str, str] = {}
                for k, v in ev.attributes:
                    attrs.setdefault(k, v)
                out.append(attrs)
        return out


@dataclass(frozen=True)
class Backoff:
    """Delays before reconnect ``n`` (from 0): ``initial × factor^n`` capped at ``maximum``, then ± ``jitter``
    of itself (never above ``maximum``); ``max_attempts`` failures in a row end the loop (None: never)."""

    initial: float = 0.5
    factor: float = 2.0
    maximum: float = 30.0
    jitter: float = 0.1
    max_attempts: int | None = None

    def delay(self, attempt: int, rand: Callable[[], float] = random.random) -> float:
        base = min(self.maximum, self.initial * self.factor ** min(attempt, _MAX_EXPONENT))
        return max(0.0, min(self.maximum, base * (1 + self.jitter * (2 * rand() - 1))))


def websocket_url(node: str) -> str:
    """``tcp://host:port`` (or http(s)://…) → ``ws(s)://host:port/websocket``."""
    url = shapes.rpc_url(node).rstrip("/")
    scheme, rest = url.split("://", 1)
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest}/websocket"


def height_range(query: str, first: int, last: int) -> str:
    """``query`` restricted to txs in blocks ``first..last`` (tx_search syntax; never ``tm.event`` there)."""
    return f"{query} AND tx.height>={first} AND tx.height<={last}"


# --- parsing ----------------------------------------------------------------------------------------------
def _tx_result(height: Any, index: Any, result: dict[str, Any], hash_hex: str) -> TxEvent:
    return TxEvent(int(height or 0), int(index or 0), int(result.get("code", 0)), shapes.events(result.get("events")),
                   hash_hex.upper())


def pushed_tx_event(result: dict[str, Any]) -> TxEvent | None:
    """The Tx event in a pushed ``result`` (``data.value.TxResult``); None for other event types."""
    data = result.get("data") or {}
    if data.get("type") != TX_EVENT:
        return None
    inner = (data.get("value") or {}).get("TxResult") or {}
    hashes = (result.get("events") or {}).get("tx.hash") or []
    raw = inner.get("tx")
    hash_hex = str(hashes[0]) if hashes else (tx_hash(base64.b64decode(raw)) if raw else "")
    return _tx_result(inner.get("height"), inner.get("index"), inner.get("result") or {}, hash_hex)


def searched_tx_event(entry: dict[str, Any]) -> TxEvent:
    """One ``tx_search`` (or ``tx``) entry: ``{hash, height, index, tx_result, tx}``."""
    return _tx_result(entry.get("height"), entry.get("index"), entry.get("tx_result") or {}, str(entry.get("hash", "")))


# --- catch-up reads ---------------------------------------------------------------------------------------
async def search_txs(client: AsyncChainClient, query: str, *, per_page: int = MAX_PER_PAGE) -> list[TxEvent]:
    """Every tx matching ``query``, oldest first (``tx_search``, following the pages)."""
    out: list[TxEvent] = []
    page = 1
    while True:
        result = await client.rpc("tx_search", {"query": query, "prove": False, "page": str(page),
                                                "per_page": str(per_page), "order_by": "asc"})
        txs = result.get("txs") or []
        out.extend(searched_tx_event(t) for t in txs)
        if not txs or len(out) >= int(result.get("total_count", 0)):
            return out
        page += 1


async def block_tx_events(client: AsyncChainClient, height: int) -> list[TxEvent]:
    """The results of every tx of block ``height`` (``block_results``; no tx hashes there)."""
    result = await client.rpc("block_results", {"height": str(height)})
    return [_tx_result(height, i, r or {}, "") for i, r in enumerate(result.get("txs_results") or [])]


async def latest_height(client: AsyncChainClient) -> int:
    """The node's latest committed height."""
    return (await client.status()).latest_height


# --- the websocket ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Closed:
    error: SubscriptionError


class EventSubscription:
    """One websocket subscribed to ``queries``; ``async for`` yields their Tx events, then raises
    SubscriptionError once the subscription is lost. Use as ``async with`` (or ``open`` / ``close``)."""

    def __init__(self, node: str, queries: Sequence[str], *, heartbeat: float = 10.0, timeout: float = 10.0,
                 buffer: int = 10_000) -> None:
        if not queries:
            raise ValueError("subscribe to at least one query")
        self.url = websocket_url(node)
        self.queries = tuple(queries)
        self._heartbeat = heartbeat
        self._timeout = timeout
        self._buffer = buffer
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._queue: asyncio.Queue[TxEvent | _Closed] = asyncio.Queue()
        self._reader: asyncio.Task[None] | None = None

    async def __aenter__(self) -> EventSubscription:
        await self.open()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    @staticmethod
    def _fail(message: str) -> SubscriptionError:
        return SubscriptionError(f"websocket subscription: {message}")  # no URL: callers may show it to anyone

    async def open(self) -> None:
        """Connect and subscribe every query (each acknowledged within ``timeout``)."""
        self._session = aiohttp.ClientSession()
        try:
            self._ws = await asyncio.wait_for(
                self._session.ws_connect(self.url, heartbeat=self._heartbeat, autoping=True), self._timeout)
            for request_id, query in enumerate(self.queries, 1):
                await self._ws.send_str(json.dumps(shapes.payload(request_id, "subscribe", {"query": query})))
            pending = set(range(1, len(self.queries) + 1))
            while pending:
                ack = await asyncio.wait_for(self._receive(), self._timeout)
                if ack is not None:
                    pending.discard(ack)
        except (aiohttp.ClientError, OSError, TimeoutError) as e:
            await self.close()
            raise self._fail(f"cannot subscribe: {self._reason(e)}") from None
        except SubscriptionError:
            await self.close()
            raise
        self._reader = asyncio.create_task(self._read())

    def _reason(self, e: BaseException) -> str:
        """Why connecting failed, without the address (aiohttp's texts name host and port)."""
        if isinstance(e, aiohttp.WSServerHandshakeError):
            return f"the node refused the websocket (HTTP {e.status})"
        if isinstance(e, TimeoutError):
            return f"no answer within {self._timeout:g}s"
        if isinstance(e, aiohttp.ClientConnectionError | OSError):
            return "cannot connect to the node"
        return type(e).__name__

    async def _receive(self) -> int | None:
        """Read one frame: queue its Tx event, or return the id of an acknowledgement; raise when lost."""
        assert self._ws is not None
        msg = await self._ws.receive()
        if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED):
            raise self._fail(f"the node closed the websocket ({self._ws.close_code})")
        if msg.type is aiohttp.WSMsgType.ERROR:
            raise self._fail(f"websocket error: {self._ws.exception() or 'connection lost'}")
        if msg.type is not aiohttp.WSMsgType.TEXT:
            return None
        try:
            body = json.loads(msg.data)
        except ValueError:
            raise self._fail("the node sent invalid JSON") from None
        if not isinstance(body, dict):
            return None
        if body.get("error") is not None:
            err = body["error"] if isinstance(body["error"], dict) else {}
            detail = ": ".join(str(x) for x in (err.get("message"), err.get("data")) if x)
            raise self._fail(f"the node answered with an error: {detail or 'unknown error'}")
        result = body.get("result")
        if not isinstance(result, dict):
            return None
        if "data" not in result:  # {} acknowledges subscribe #id
            return body.get("id") if isinstance(body.get("id"), int) else None
        event = pushed_tx_event(result)
        if event is not None:
            if self._queue.qsize() >= self._buffer:
                raise self._fail(f"the subscriber fell {self._buffer} events behind")
            self._queue.put_nowait(event)
        return None

    async def _read(self) -> None:
        try:
            while True:
                await self._receive()
        except SubscriptionError as e:
            self._queue.put_nowait(_Closed(e))
        except (aiohttp.ClientError, OSError):
            self._queue.put_nowait(_Closed(self._fail("connection lost")))

    @property
    def lost(self) -> bool:
        """The subscription is gone (events received before are still delivered, then the error)."""
        return self._reader is None or self._reader.done()

    def __aiter__(self) -> AsyncIterator[TxEvent]:
        return self

    async def __anext__(self) -> TxEvent:
        item = await self._queue.get()
        if isinstance(item, _Closed):
            self._queue.put_nowait(item)  # every later call fails the same way
            raise item.error
        return item

    async def close(self) -> None:
        """Stop reading and close the socket (idempotent)."""
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
            self._reader = None
            self._queue.put_nowait(_Closed(self._fail("closed")))
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
            self._ws = None
        if self._session is not None:
            await self._session.close()
            self._session = None


async def _follow(node: str, queries: Sequence[str], on_event: Callable[[TxEvent], Awaitable[None]],
                  on_connect: Callable[[], Awaitable[None]] | None,
                  on_error: Callable[[Exception, float], None] | None, backoff: Backoff,
                  sleep: Callable[[float], Awaitable[None]], heartbeat: float) -> None:
    failures = 0
    while True:
        try:
            async with EventSubscription(node, queries, heartbeat=heartbeat) as subscription:
                if on_connect is not None:
                    await on_connect()
                failures = 0
                async for event in subscription:
                    await on_event(event)
        except Exception as e:  # the connection, catch-up or a handler failed: reconnect (CancelledError passes)
            if backoff.max_attempts is not None and failures + 1 >= backoff.max_attempts:
                raise
            delay = backoff.delay(failures)
            failures += 1
            if on_error is not None:
                on_error(e, delay)
            await sleep(delay)


async def follow(node: str, queries: Sequence[str], on_event: Callable[[TxEvent], Awaitable[None]], *,
                 on_connect: Callable[[], Awaitable[None]] | None = None,
                 on_error: Callable[[Exception, float], None] | None = None, backoff: Backoff | None = None,
                 stop: asyncio.Event | None = None, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 heartbeat: float = 10.0) -> None:
    """Subscribe to ``queries`` and keep the subscription until ``stop`` is set (or the task is cancelled).

    After each (re)subscription ``on_connect`` runs (catch up on what was committed meanwhile: events of
    those blocks may also arrive live), then every Tx event goes to ``on_event`` in order. An exception
    from the socket, ``on_connect`` or ``on_event`` closes the connection, is passed to ``on_error`` with
    the delay, and the loop reconnects after it; ``backoff.max_attempts`` failures in a row re-raise the last.
    """
    loop = _follow(node, queries, on_event, on_connect, on_error, backoff or Backoff(), sleep, heartbeat)
    if stop is None:
        await loop
        return
    task = asyncio.ensure_future(loop)
    waiter = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for t in (task, waiter):
            t.cancel()
        for t in (task, waiter):
            with contextlib.suppress(asyncio.CancelledError):
                await t
