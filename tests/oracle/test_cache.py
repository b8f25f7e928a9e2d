"""CachedReader over the real node: per-height answers, keys and consents for good, failures never cached."""

from __future__ import annotations

import asyncio

from panacea.client import AsyncChainClient
from panacea.oracle.cache import CachedReader
from panacea.oracle.chain import ClientChainReader
from panacea.oracle.errors import OracleError
from tests.client import nodekit
from tests.client.nodekit import Node, free_port
from tests.oracle import chainkit as ck


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_reads_are_cached_per_height(node: Node) -> None:
    ck.register_pubkey(node, ck.PROVIDER)
    deal_id = ck.create_deal(node, "http://127.0.0.1:1")
    stale = nodekit.key("stale").bech32()

    async def go() -> list[object]:
        async with AsyncChainClient(node.rpc) as client:
            heights = [(await client.status()).latest_height]

            async def latest() -> int:
                return heights[-1]

            clock = Clock()
            reader = CachedReader(ClientChainReader(client), latest, clock=clock)
            out: list[object] = []
            for _ in range(3):
                out.append((await reader.deal(deal_id)).id)
                out.append(await reader.account_public_key(ck.PROVIDER.bech32()) == ck.PROVIDER.public_key().compressed)
                out.append(await reader.account_public_key(stale))
            out.append(reader.fetches)  # one deal, one key, one keyless account
            try:
                await reader.deal(10**9)
            except OracleError as e:
                out.append((e.status, e.message))
            out.append(reader.fetches)
            heights.append(heights[-1] + 1)
            await reader.deal(deal_id)
            await reader.account_public_key(stale)
            out.append(reader.fetches)  # still the old height: the clock did not move
            clock.now = 1.0
            await reader.deal(deal_id)
            await reader.account_public_key(ck.PROVIDER.bech32())  # a set key is kept across heights
            await reader.account_public_key(stale)  # a keyless account is read again
            out.append(reader.fetches)
            return out

    missing = (404, "deal with ID 1000000000 does not exist: deal is not found")
    assert asyncio.run(go()) == [deal_id, True, None] * 3 + [3, missing, 4, 4, 6]


def test_failures_are_not_cached(node: Node) -> None:
    async def go() -> list[object]:
        out: list[object] = []
        async with AsyncChainClient(f"tcp://127.0.0.1:{free_port()}", timeout=2) as gone:
            async def latest() -> int:
                return 5

            reader = CachedReader(ClientChainReader(gone), latest)
            for _ in range(2):
                try:
                    await reader.deal(1)
                except OracleError as e:
                    out.append((e.status, e.message))
            out.append(reader.fetches)
        return out

    assert asyncio.run(go()) == [(503, "cannot reach the chain node")] * 2 + [2]


def test_concurrent_reads_of_one_key_share_one_fetch(node: Node) -> None:
    deal_id = ck.create_deal(node, "http://127.0.0.1:1")

    async def go() -> tuple[set[int], int]:
        async with AsyncChainClient(node.rpc) as client:
            async def latest() -> int:
                return 7

            reader = CachedReader(ClientChainReader(client), latest)
            deals = await asyncio.gather(*(reader.deal(deal_id) for _ in range(20)))
            return {d.id for d in deals}, reader.fetches

    assert asyncio.run(go()) == ({deal_id}, 1)
