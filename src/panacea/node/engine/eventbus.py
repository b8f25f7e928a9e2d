"""Websocket subscriptions of the embedded engine: CometBFT's event bus, matched by the event query language."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from panacea.node.cometbft.query import Query

SUBSCRIPTION_BUFFER = 1000


@dataclass
class Subscription:
    client: str
    query: Query
    queue: asyncio.Queue[dict[str, Any] | None] = field(default_factory=asyncio.Queue)
    cancelled: bool = False


class EventBus:
    """Pubsub of CometBFT events; a subscriber that falls behind by SUBSCRIPTION_BUFFER events is cancelled."""

    def __init__(self) -> None:
        self.subscriptions: list[Subscription] = []

    def subscribe(self, client: str, query: Query) -> Subscription:
        if any(s.client == client and s.query.text == query.text for s in self.subscriptions):
            raise ValueError("already subscribed")
        sub = Subscription(client, query)
        self.subscriptions.append(sub)
        return sub

    def count(self, client: str) -> int:
        return sum(1 for s in self.subscriptions if s.client == client)

    def unsubscribe(self, client: str, query_text: str | None = None) -> int:
        keep: list[Subscription] = []
        gone: list[Subscription] = []
        for s in self.subscriptions:
            (gone if s.client == client and (query_text is None or s.query.text == query_text) else keep).append(s)
        self.subscriptions = keep
        for s in gone:
            s.cancelled = True
            s.queue.put_nowait(None)
        return len(gone)

    def publish(self, events: dict[str, list[str]], make_data: Callable[[], dict[str, Any]]) -> None:
        data: dict[str, Any] | None = None
        for s in list(self.subscriptions):
            if not s.query.matches(events):
                continue
            if data is None:
                data = make_data()
            if s.queue.qsize() >= SUBSCRIPTION_BUFFER:
                self.unsubscribe(s.client, s.query.text)  # the client is not reading
                continue
            s.queue.put_nowait({"query": s.query.text, "data": data, "events": events})


def flatten_events(events: list[Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in events:
        if not e.type:
            continue
        for k, v in e.attributes:
            if k:
                out.setdefault(f"{e.type}.{k}", []).append(v)
    return out
