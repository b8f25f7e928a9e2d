"""did-reference §4 store layout and §8 genesis_keys_test / auth_test: keys, the record predicates of a stored
value, and the sign bytes of an ownership proof."""

from __future__ import annotations

import pytest

from panacea.chain.app import STORE_PREFIXES, proven_key
from panacea.chain.modules.did.keeper import is_deactivated, is_empty, tombstone
from panacea.chain.modules.did.keys import DID_PREFIX, MODULE_NAME, STORE, did_key, did_of_key
from panacea.chain.modules.did.validation import document_valid
from panacea.crypto import did as did_crypto
from panacea.types.pb.panacea.did.v2 import did_pb2

from .conftest import DID, document, key


def test_layout() -> None:
    assert (MODULE_NAME, STORE, DID_PREFIX) == ("did", b"did/", b"\x00")
    assert STORE_PREFIXES["did"] == STORE
    assert did_key(DID) == b"\x00" + DID.encode()  # no length prefix
    assert did_of_key(did_key(DID)) == DID
    assert proven_key("/store/did/key", did_key(DID)) == b"did/\x00" + DID.encode()


def test_record_with_seq_predicates() -> None:
    """TestDIDDocumentWithSeq_Empty / _Valid / _Deactivate."""
    live = did_pb2.DIDDocumentWithSeq(document=document(DID, key("k")), sequence=0)
    assert not is_empty(live) and document_valid(live.document)
    assert is_empty(did_pb2.DIDDocumentWithSeq())
    assert not document_valid(did_pb2.DIDDocument(id="invalid_did"))
    dead = tombstone(1)
    assert is_deactivated(dead) and not is_empty(dead) and document_valid(dead.document)


@pytest.mark.parametrize("sequence", [0, 1, 100, 2**64 - 1])
def test_sign_bytes_decode_back(sequence: int) -> None:
    """TestMustGetSignBytesWithSeq: ``{id}`` at a sequence decodes back to DataWithSeq{doc, seq}."""
    data = did_crypto.deactivation_data(DID)
    decoded = did_pb2.DataWithSeq.FromString(did_crypto.sign_bytes(data, sequence))
    assert decoded == did_pb2.DataWithSeq(data=data, sequence=sequence)
    assert did_pb2.DIDDocument.FromString(decoded.data) == did_pb2.DIDDocument(id=DID)


def test_deactivation_sign_bytes_of_section_11() -> None:
    vector = "did:panacea:8ifX66eFxRKky33XoMmgWShgdGtSiQMdMiBocrabeK96"
    assert did_crypto.sign_bytes(did_crypto.deactivation_data(vector), 1).hex() == (
        "0a3a12386469643a70616e616365613a386966583636654678524b6b793333586f4d6d67575368676447745369514d644d69426f"
        "63726162654b39361001")
