"""panacea.client.events: the websocket subscription, ``follow``'s reconnects, and the catch-up reads, against a
real embedded node (and a loopback proxy that loses connections on purpose)."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable

import pytest

from panacea.client import AsyncChainClient
from panacea.client.events import (
    Backoff,
    EventSubscription,
    SubscriptionError,
    TxEvent,
    block_tx_events,
    follow,
    height_range,
    pushed_tx_event,
    search_txs,
    websocket_url,
)
from panacea.client.types import tx_hash
from panacea.crypto.keys import PrivateKey
from panacea.types.events import Event
from tests.client import nodekit
from tests.client.nodekit import Node
from tests.client.proxykit import TcpProxy

NO_JITTER = Backoff(initial=0.05, factor=2.0, maximum=0.2, jitter=0.0)


def recipient_query(recipient: str) -> str:
    return f"tm.event='Tx' AND transfer.recipient='{recipient}'"


async def pay(client: AsyncChainClient, sender: str, recipient: str, amount: int = 1) -> str:
    """Broadcast a MsgSend (CheckTx only); its tx hash."""
    key = nodekit.key(sender)
    return (await client.wallet(key).broadcast([nodekit.send_msg(key.bech32(), recipient, amount)])).tx_hash


async def until(check: Callable[[], bool], what: str) -> None:
    for _ in range(600):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


# --- shapes -------------------------------------------------------------------------------------------------
def test_websocket_url() -> None:
    assert websocket_url("tcp://127.0.0.1:26657") == "ws://127.0.0.1:26657/websocket"
    assert websocket_url("http://127.0.0.1:1/") == "ws://127.0.0.1:1/websocket"
    assert websocket_url("https://node.test/rpc") == "wss://node.test/rpc/websocket"
    assert websocket_url("127.0.0.1:9") == "ws://127.0.0.1:9/websocket"


def test_backoff_is_exponential_and_capped() -> None:
    b = Backoff(initial=0.5, factor=2.0, maximum=30.0, jitter=0.0)
    assert [b.delay(n) for n in range(8)] == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert b.delay(10**9) == 30.0  # no overflow
    jittered = Backoff(initial=1.0, maximum=4.0, jitter=0.1)
    assert (jittered.delay(0, lambda: 0.0), jittered.delay(0, lambda: 1.0)) == (0.9, 1.1)
    assert jittered.delay(5, lambda: 1.0) == 4.0  # never above the maximum


def test_height_range() -> None:
    assert height_range("message.action='RegisterOracle'", 5, 9) == \
        "message.action='RegisterOracle' AND tx.height>=5 AND tx.height<=9"


def test_pushed_tx_event_reads_cometbft_038_json() -> None:
    tx = b"\x0a\x01x"
    pushed = {"query": "tm.event='Tx' AND message.action='RegisterOracle'",
              "data": {"type": "tendermint/event/Tx", "value": {"TxResult": {
                  "height": "12", "index": 1, "tx": base64.b64encode(tx).decode(),
                  "result": {"data": "", "log": "[]", "gas_used": "5", "events": [
                      {"type": "message", "attributes": [{"key": "action", "value": "RegisterOracle", "index": True}]},
                      {"type": "oracle_registration", "attributes": [
                          {"key": "unique_id", "value": "u1", "index": True},
                          {"key": "oracle_address", "value": "panacea1x", "index": True}]}]}}}},
              "events": {"tm.event": ["Tx"], "tx.hash": ["ab12"], "tx.height": ["12"]}}
    event = pushed_tx_event(pushed)
    assert event == TxEvent(12, 1, 0, (Event.of("message", ("action", "RegisterOracle")),
                                       Event.of("oracle_registration", ("unique_id", "u1"),
                                                ("oracle_address", "panacea1x"))), "AB12")
    assert event.of_type("oracle_registration") == [{"unique_id": "u1", "oracle_address": "panacea1x"}]
    del pushed["events"]  # no tx.hash: the hash of the tx bytes; index and code omitted when zero
    pushed["data"]["value"]["TxResult"].pop("index")  # type: ignore[index]
    assert pushed_tx_event(pushed) == TxEvent(12, 0, 0, event.events, tx_hash(tx))
    assert pushed_tx_event({"data": {"type": "tendermint/event/NewBlock", "value": {}}}) is None


# --- against the node ---------------------------------------------------------------------------------------
def test_subscription_delivers_tx_events_in_order(node: Node) -> None:
    to = PrivateKey.generate().bech32()

    async def body() -> tuple[list[str], list[TxEvent]]:
        async with AsyncChainClient(node.rpc) as client, EventSubscription(node.rpc, [recipient_query(to)]) as sub:
            hashes = [await pay(client, "alice", to, n) for n in (1, 2, 3)]
            return hashes, [await anext(sub) for _ in hashes]

    hashes, events = asyncio.run(body())
    assert [e.tx_hash for e in events] == hashes
    assert all(e.ok for e in events)
    assert [(e.height, e.index) for e in events] == sorted((e.height, e.index) for e in events)
    assert [e.of_type("transfer")[0]["amount"] for e in events] == ["1umed", "2umed", "3umed"]


def test_subscription_refused_query(node: Node) -> None:
    async def body() -> None:
        async with EventSubscription(node.rpc, ["tm.event='Tx' AND"]):
            pass

    with pytest.raises(SubscriptionError) as info:
        asyncio.run(body())
    assert str(info.value).startswith("websocket subscription: the node answered with an error: Internal error: "
                                      "failed to subscribe: ")


def test_subscription_lost_by_a_slow_reader(node: Node) -> None:
    to = PrivateKey.generate().bech32()

    async def body() -> tuple[TxEvent, SubscriptionError]:
        async with AsyncChainClient(node.rpc) as client, \
                EventSubscription(node.rpc, [recipient_query(to)], buffer=1) as sub:
            await pay(client, "bob", to)
            await pay(client, "bob", to)
            assert not sub.lost
            await until(lambda: sub.lost, "the second event to overflow the buffer")
            event = await anext(sub)  # what was buffered is still delivered, in order
            with pytest.raises(SubscriptionError) as info:
                await anext(sub)
            with pytest.raises(SubscriptionError):
                await anext(sub)  # and stays lost
            return event, info.value

    event, error = asyncio.run(body())
    assert event.of_type("transfer")[0]["recipient"] == to
    assert str(error) == "websocket subscription: the subscriber fell 1 events behind"


def test_search_txs_follows_pages_and_block_results_agree(node: Node) -> None:
    to = PrivateKey.generate().bech32()

    async def body() -> None:
        async with AsyncChainClient(node.rpc) as client:
            hashes = [await pay(client, "carol", to, n) for n in range(1, 6)]
            last = await client.wait_for_tx(hashes[-1])
            found = await search_txs(client, f"transfer.recipient='{to}'", per_page=2)
            assert [t.tx_hash for t in found] == hashes
            assert [t.height for t in found] == sorted(t.height for t in found)
            first = found[0].height
            assert [t.tx_hash for t in await search_txs(client, height_range(
                f"transfer.recipient='{to}'", first, first))] == [t.tx_hash for t in found if t.height == first]
            for t in (found[0], found[-1]):
                in_block = (await block_tx_events(client, t.height))[t.index]
                assert (in_block.height, in_block.index, in_block.code, in_block.events) == \
                    (t.height, t.index, 0, t.events)
            assert last.height == found[-1].height

    asyncio.run(body())


def test_follow_reconnects_after_the_connection_drops(node: Node) -> None:
    to = PrivateKey.generate().bech32()
    connects: list[int] = []
    errors: list[tuple[Exception, float]] = []
    received: list[str] = []
    stop = asyncio.Event()

    async def on_connect() -> None:
        connects.append(len(received))

    async def on_event(event: TxEvent) -> None:
        received.append(event.tx_hash)

    async def body() -> None:
        port = int(node.rpc.rsplit(":", 1)[1])
        async with TcpProxy(port) as proxy, AsyncChainClient(node.rpc) as client:
            task = asyncio.ensure_future(follow(proxy.url, [recipient_query(to)], on_event, on_connect=on_connect,
                                                on_error=lambda e, d: errors.append((e, d)), backoff=NO_JITTER,
                                                stop=stop))
            await until(lambda: len(connects) == 1, "the subscription")
            first = await pay(client, "erin", to)
            await until(lambda: received == [first], "the first event")
            proxy.drop()
            await until(lambda: len(connects) == 2, "the reconnection")
            second = await pay(client, "erin", to)
            await until(lambda: received == [first, second], "the event after reconnecting")
            stop.set()
            await asyncio.wait_for(task, 10)
            assert task.result() is None

    asyncio.run(body())
    assert connects == [0, 1]
    [(error, delay)] = errors
    assert isinstance(error, SubscriptionError)
    assert str(error) == "websocket subscription: the node closed the websocket (1006)"  # abnormal closure
    assert delay == 0.05


@pytest.mark.parametrize("refusing", [False, True])
def test_follow_gives_up_after_max_attempts(refusing: bool) -> None:
    """A node that is down (nothing listens) or drops every connection: bounded, exponential attempts."""
    slept: list[float] = []
    errors: list[str] = []

    async def sleep(delay: float) -> None:
        slept.append(delay)

    async def never(_event: TxEvent) -> None:
        raise AssertionError("no event expected")

    async def body() -> None:
        async with TcpProxy(nodekit.free_port()) as proxy:
            proxy.refusing = refusing
            url = proxy.url if refusing else f"tcp://127.0.0.1:{nodekit.free_port()}"
            await follow(url, ["tm.event='Tx'"], never, on_error=lambda e, d: errors.append(str(e)),
                         backoff=Backoff(initial=1.0, factor=3.0, maximum=5.0, jitter=0.0, max_attempts=4),
                         sleep=sleep)

    with pytest.raises(SubscriptionError) as info:
        asyncio.run(body())
    assert slept == [1.0, 3.0, 5.0]
    assert len(errors) == 3
    assert all(e == str(info.value) for e in errors)
    assert str(info.value) == "websocket subscription: cannot subscribe: cannot connect to the node"


def test_follow_retries_a_failing_catch_up(node: Node) -> None:
    calls: list[float] = []
    stop = asyncio.Event()

    async def on_connect() -> None:
        calls.append(len(calls))
        if len(calls) < 3:
            raise RuntimeError(f"catch-up {len(calls)} failed")
        stop.set()

    async def ignore(_event: TxEvent) -> None:
        return None

    async def fast(_delay: float) -> None:
        return None

    errors: list[str] = []
    asyncio.run(follow(node.rpc, ["tm.event='Tx'"], ignore, on_connect=on_connect, stop=stop, sleep=fast,
                       on_error=lambda e, d: errors.append(f"{e} / {d}"), backoff=NO_JITTER))
    assert errors == ["catch-up 1 failed / 0.05", "catch-up 2 failed / 0.1"]
    assert len(calls) == 3


def test_follow_is_cancellable(node: Node) -> None:
    async def body() -> None:
        subscribed = asyncio.Event()

        async def on_connect() -> None:
            subscribed.set()

        async def ignore(_event: TxEvent) -> None:
            return None

        task = asyncio.ensure_future(follow(node.rpc, ["tm.event='Tx'"], ignore, on_connect=on_connect))
        await asyncio.wait_for(subscribed.wait(), 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(body())
