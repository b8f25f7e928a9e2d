"""Verified DID reads: the ``did`` store's key and strict decoding of its values (the §11 vectors), proofs of DID
records (unit, over the chain's own store), then proven reads from a real node with DIDs written by txs — equal to
the node's raw records — and through a tampering proxy."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from panacea.chain.store import Store
from panacea.client import ChainClientError
from panacea.client import storekeys as keys
from panacea.client.light import VerificationError, proven_value
from panacea.client.light.reader import did_record
from panacea.crypto.did import did_for_key, key_document
from panacea.crypto.keys import PrivateKey
from panacea.types.lp import marshal_length_prefixed
from panacea.types.pb.panacea.did.v2 import did_pb2

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
