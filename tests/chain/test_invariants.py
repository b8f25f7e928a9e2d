"""The x/did invariants over time (``DIDHistory``): sequences only grow, tombstones are never revived, records are
never deleted. Each break is produced by writing the store directly (no msg can do it)."""

from __future__ import annotations

from panacea.chain.context import BlockInfo, Context
from panacea.chain.invariants import Broken, DIDHistory
from panacea.chain.kv import CacheKV, MemKV
from panacea.chain.modules.did.keeper import DIDKeeper, tombstone
from panacea.chain.modules.did.keys import STORE, did_key
from panacea.types.pb.panacea.did.v2 import did_pb2

DID = "did:panacea:7Prd74ry1Uct87nZqL3ny7aR7Cg46JamVbJgk8azVgUm"


def setup() -> tuple[DIDKeeper, Context, DIDHistory]:
    return DIDKeeper(), Context(CacheKV(MemKV()), BlockInfo(1, 0, "t")), DIDHistory()


def record(sequence: int, did: str = DID) -> did_pb2.DIDDocumentWithSeq:
    return did_pb2.DIDDocumentWithSeq(document=did_pb2.DIDDocument(id=did), sequence=sequence)


def test_growing_sequences_are_healthy() -> None:
    keeper, ctx, history = setup()
    assert history.check(ctx, keeper) == []
    for seq in (0, 0, 1, 5):
        keeper.set(ctx, DID, record(seq))
        assert history.check(ctx, keeper) == []
    keeper.set(ctx, DID, tombstone(6))
    assert history.check(ctx, keeper) == []
    assert history.check(ctx, keeper) == []


def test_a_sequence_going_down() -> None:
    keeper, ctx, history = setup()
    keeper.set(ctx, DID, record(3))
    history.check(ctx, keeper)
    keeper.set(ctx, DID, record(2))
    assert history.check(ctx, keeper) == [Broken("did-sequence-grows", f"{DID}: sequence 3 -> 2")]


def test_a_revived_tombstone() -> None:
    keeper, ctx, history = setup()
    keeper.set(ctx, DID, tombstone(2))
    history.check(ctx, keeper)
    keeper.set(ctx, DID, record(3))
    assert history.check(ctx, keeper) == [
        Broken("did-tombstone-permanent", f"{DID}: deactivated at sequence 2, now sequence 3")]


def test_a_deleted_record() -> None:
    keeper, ctx, history = setup()
    keeper.set(ctx, DID, record(0))
    history.check(ctx, keeper)
    ctx.kv(STORE).delete(did_key(DID))
    assert history.check(ctx, keeper) == [Broken("did-never-deleted", f"{DID} was removed")]
