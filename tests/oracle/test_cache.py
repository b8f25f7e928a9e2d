"""CachedReader over the real node: per-height answers, keys and consents for good, failures never cached; DID
documents for one height, as copies."""

from __future__ import annotations

import asyncio
import hashlib

from panacea.client import AsyncChainClient
from panacea.crypto.did import did_for_key, key_document
from panacea.crypto.keys import PrivateKey
from panacea.oracle.cache import CachedReader
from panacea.oracle.chain import ClientChainReader
from panacea.oracle.errors import OracleError
from tests.client import nodekit
from tests.client.nodekit import Node, free_port
from tests.oracle import chainkit as ck
from tests.oracle.vp.didchain import DIDWriter


def key(label: str) -> PrivateKey:
    return PrivateKey(hashlib.sha256(label.encode()).digest())


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


def test_did_documents_are_kept_for_one_height_and_handed_out_as_copies(node: Node) -> None:
    owner, successor = key("cache-did/owner"), key("cache-did/successor")
    writer = DIDWriter(node, nodekit.key("bob"))
    did = writer.create(owner)
    absent = did_for_key(successor.public_key())

    async def go() -> list[object]:
        async with AsyncChainClient(node.rpc) as client:
            heights = [(await client.status()).latest_height]

            async def latest() -> int:
                return heights[-1]

            clock = Clock()
            reader = CachedReader(ClientChainReader(client), latest, clock=clock)
            out: list[object] = []
            first = await reader.did_document(did)
            first.document.verification_methods[0].public_key_base58 = "changed by a caller"  # REF-14
            del first.document.authentications[:]
            together = await asyncio.gather(*(reader.did_document(did) for _ in range(10)))
            out.append(all(d == together[0] and d is not together[0] for d in together[1:]))
            out.append(together[0].document == key_document(owner.public_key()))
            for _ in range(2):
                try:
                    await reader.did_document(absent)
                except OracleError as e:
                    out.append((e.status, e.message))
            out.append(reader.fetches)  # one read of each DID at this height

            document = key_document(successor.public_key())  # the owner's key replaced by the successor's
            document.id = did
            for method in document.verification_methods:
                method.id, method.controller = f"{did}#key2", did
            document.authentications[0].verification_method_id = f"{did}#key2"
            writer.update(owner, "key1", document)
            out.append((await reader.did_document(did)).document == key_document(owner.public_key()))  # same height
            heights.append((await client.status()).latest_height)
            clock.now = 1.0  # the height is read again: the update is seen at once
            out.append((await reader.did_document(did)).document == document)
            out.append(reader.fetches)
            writer.deactivate(successor, "key2", did)
            heights.append((await client.status()).latest_height)
            clock.now = 2.0
            tomb = await reader.did_document(did)
            out.append((tomb.document.id, tomb.sequence))
            return out

    missing = (404, f"DID {absent} not found")
    assert asyncio.run(go()) == [True, True, missing, missing, 2, True, True, 3, ("", 2)]
