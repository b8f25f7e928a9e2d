"""Verified DID reads: the ``did`` store's key and strict decoding of its values (the §11 vectors), proofs of DID
records (unit, over the chain's own store), then proven reads from a real node with DIDs written by txs — equal to
the node's raw records — and through a tampering proxy."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from panacea.chain import app
from panacea.chain.modules.did import keys as chain_did_keys
from panacea.chain.store import Store
from panacea.client import AsyncChainClient, ChainClientError
from panacea.client import storekeys as keys
from panacea.client.light import VerificationError, VerifiedQueries, proven_value
from panacea.client.light.reader import did_record, unproven_value
from panacea.crypto.did import did_for_key, key_document
from panacea.crypto.keys import PrivateKey
from panacea.types.lp import marshal_length_prefixed
from panacea.types.pb.panacea.did.v2 import did_pb2
from tests.client import nodekit
from tests.client.light.kit import JSON, proxy
from tests.client.light.test_reader import verified
from tests.client.nodekit import Node
from tests.oracle.vp.didchain import DIDWriter

VECTOR_KEY = PrivateKey(hashlib.sha256(b"panacea-did-spec-vector").digest())
VECTOR_DID = "did:panacea:8ifX66eFxRKky33XoMmgWShgdGtSiQMdMiBocrabeK96"
DOCPB = key_document(VECTOR_KEY.public_key()).SerializeToString(deterministic=True)
UNDECODABLE = "cannot decode the DID document stored on chain"


def test_did_store_key() -> None:
    assert keys.did_key(VECTOR_DID) == b"\x00" + VECTOR_DID.encode()
    assert keys.tree_key(keys.DID, keys.did_key("did:panacea:x")) == b"did/\x00did:panacea:x"
    assert keys.store_path(keys.DID) == "/store/did/key"


def test_did_records_decode_as_the_reference_stores_them() -> None:
    assert did_for_key(VECTOR_KEY.public_key()) == VECTOR_DID
    stored = did_record(bytes.fromhex("eb020ae802") + DOCPB)  # §11: value at seq 0
    assert (stored.document.id, stored.sequence) == (VECTOR_DID, 0)
    assert stored.document.SerializeToString(deterministic=True) == DOCPB
    tomb = did_record(bytes.fromhex("040a001001"))  # §11: the tombstone at seq 1
    assert (tomb.HasField("document"), tomb.document.id, tomb.sequence) == (True, "", 1)


def _rejected(raw: bytes) -> str:
    with pytest.raises(ChainClientError) as e:
        did_record(raw)
    return str(e.value)


def test_did_records_are_decoded_strictly() -> None:
    value = bytes.fromhex("eb020ae802") + DOCPB
    assert _rejected(value + b"\x00") == UNDECODABLE  # a byte past the frame
    assert _rejected(value[:-1]) == UNDECODABLE  # a truncated frame
    assert _rejected(b"\x03\x0a\x01\xff") == UNDECODABLE  # not protobuf
    record = did_pb2.DIDDocumentWithSeq(document=key_document(VECTOR_KEY.public_key()), sequence=2)
    unknown_top = marshal_length_prefixed(record)[2:] + b"\x18\x01"  # field 3: unknown to the schema
    assert _rejected(bytes([0x80 | len(unknown_top) & 0x7F, len(unknown_top) >> 7]) + unknown_top) == \
        f"{UNDECODABLE}: unknown fields"
    method = record.document.verification_methods[0]
    method.MergeFromString(b"\x2a\x01x")  # VerificationMethod field 5: unknown, kept and written back
    assert _rejected(marshal_length_prefixed(record)) == f"{UNDECODABLE}: unknown fields"


# --- proofs of DID records (no node) -------------------------------------------------------------------------------
@pytest.fixture
def state(tmp_path: Path) -> Iterator[Store]:
    with Store(str(tmp_path / "state")) as store:
        store.commit({b"did/" + keys.did_key(VECTOR_DID): bytes.fromhex("eb020ae802") + DOCPB,
                      b"did/" + keys.did_key("did:panacea:" + "1" * 32): bytes.fromhex("040a001001")}, 1)
        yield store


def _answer(store: Store, key: bytes, value: bytes | None) -> dict[str, object]:
    proof = store.prove(b"did/" + key)
    response: dict[str, object] = {
        "key": base64.b64encode(key).decode(), "height": "1",
        "proofOps": {"ops": [{"type": "panacea:smt", "key": base64.b64encode(b"did/" + key).decode(),
                              "data": base64.b64encode(proof.to_bytes()).decode()}]}}
    if value:
        response["value"] = base64.b64encode(value).decode()
    return {"response": response}


def test_did_records_and_absences_are_proven(state: Store) -> None:
    root = state.root_hash()
    key = keys.did_key(VECTOR_DID)
    stored = state.get(b"did/" + key)
    assert stored is not None
    assert did_record(proven_value(_answer(state, key, stored), keys.DID, key, 1, root) or b"").document.id == \
        VECTOR_DID
    missing = keys.did_key("did:panacea:" + "2" * 32)
    assert proven_value(_answer(state, missing, None), keys.DID, missing, 1, root) is None
    # a node hiding a record, or rewriting its key, is caught
    for value in (None, bytes.fromhex("eb020ae802") + DOCPB.replace(b"key1", b"key2")):
        with pytest.raises(VerificationError) as e:
            proven_value(_answer(state, key, value), keys.DID, key, 1, root)
        assert str(e.value).startswith(f"the proof of did key {key.hex()} does not verify against app hash ")
    # a tombstone cannot be passed off as absent (a "never created" DID could be created again)
    tomb_key = keys.did_key("did:panacea:" + "1" * 32)
    with pytest.raises(VerificationError):
        proven_value(_answer(state, tomb_key, None), keys.DID, tomb_key, 1, root)


def test_the_client_spells_the_chains_did_layout() -> None:
    assert keys.STORE_PREFIXES[keys.DID] == chain_did_keys.STORE == app.STORE_PREFIXES["did"]
    assert keys.did_key(VECTOR_DID) == chain_did_keys.did_key(VECTOR_DID)


# --- proven reads from a real node ---------------------------------------------------------------------------------
PAYER = nodekit.key("dave")
HOLDER = PrivateKey(hashlib.sha256(b"reader-did/holder").digest())
GONE = PrivateKey(hashlib.sha256(b"reader-did/gone").digest())


@pytest.fixture(scope="module")
def dids(node: Node) -> tuple[str, str]:
    """(a live DID, a deactivated one) written by txs."""
    writer = DIDWriter(node, PAYER)
    live, gone = writer.create(HOLDER), writer.create(GONE)
    writer.deactivate(GONE, "key1", gone)
    return live, gone


def test_verified_did_reads_equal_the_nodes_records(node: Node, dids: tuple[str, str], tmp_path: Path) -> None:
    live, gone = dids
    absent = did_for_key(VECTOR_KEY.public_key())

    async def proven(q: VerifiedQueries) -> list[object]:
        return [await q.did(live), await q.did(gone), await q.did(absent)]

    async def raw() -> list[object]:
        async with AsyncChainClient(node.rpc) as client:
            values = [(await unproven_value(client, keys.DID, keys.did_key(did)))[0] for did in (live, gone, absent)]
        return [None if value is None else did_record(value) for value in values]

    got = verified(node, tmp_path, proven)
    assert got == asyncio.run(raw())
    assert got[0] == did_pb2.DIDDocumentWithSeq(document=key_document(HOLDER.public_key()), sequence=0)
    assert got[1] == did_pb2.DIDDocumentWithSeq(document=did_pb2.DIDDocument(), sequence=1)  # the tombstone as stored
    assert got[2] is None


def test_tampered_did_reads_are_rejected(node: Node, dids: tuple[str, str], tmp_path: Path) -> None:
    live, gone = dids

    def flip_proof(method: str, params: JSON, body: JSON) -> JSON:
        if method == "abci_query" and params["prove"]:
            op = body["result"]["response"]["proofOps"]["ops"][0]
            data = bytearray(base64.b64decode(op["data"]))
            data[-1] ^= 1
            op["data"] = base64.b64encode(bytes(data)).decode()
        return body

    def hide(method: str, params: JSON, body: JSON) -> JSON:  # "never created" for a live or deactivated DID
        if method == "abci_query":
            body["result"]["response"].pop("value", None)
        return body

    def revive(method: str, params: JSON, body: JSON) -> JSON:  # the live record served for the tombstone
        if method == "abci_query" and params["data"] == keys.did_key(gone).hex():
            live_value = did_pb2.DIDDocumentWithSeq(document=key_document(GONE.public_key()), sequence=1)
            body["result"]["response"]["value"] = base64.b64encode(marshal_length_prefixed(live_value)).decode()
        return body

    async def read(q: VerifiedQueries, did: str) -> str:
        with pytest.raises(VerificationError) as e:
            await q.did(did)
        return str(e.value)

    messages = []
    with proxy(node.rpc) as (p, url):
        for tamper, did in ((flip_proof, live), (hide, live), (hide, gone), (revive, gone)):
            p.tamper = tamper
            messages.append(verified(node, tmp_path / f"{tamper.__name__}-{did[-4:]}",
                                     lambda q, did=did: read(q, did), queries_via=url))  # type: ignore[misc]
    for message, did in zip(messages, (live, live, gone, gone), strict=True):
        pattern = (rf"the proof of did key {keys.did_key(did).hex()} does not verify against app hash "
                   rf"[0-9A-F]{{64}} of block \d+")
        assert re.fullmatch(pattern, message), message
