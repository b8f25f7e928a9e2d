"""``panacea.types.did_json``: JSON A out (§11 byte for byte), JSON B, and JSON input (§1.1; the reference's
TestContexts_UnmarshalJSON, TestVerificationRelationship_{Marshal,Unmarshal}JSON and TestReadDIDDoc* shapes)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from panacea.crypto.did import key_document
from panacea.types import did_json
from panacea.types.pb.panacea.did.v2 import did_pb2
from tests.chain.modules.did.vectors import JSON_A, TOMBSTONE_JSON, VECTOR_DID, VECTOR_KEY, VECTOR_PUB

KEY, DID, PUB = VECTOR_KEY, VECTOR_DID, VECTOR_PUB
V1 = "https://www.w3.org/ns/did/v1"


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def test_json_a_of_section_11() -> None:
    record = did_pb2.DIDDocumentWithSeq(document=key_document(KEY.public_key()), sequence=0)
    assert compact({"did_document_with_seq": did_json.with_seq_to_json(record)}) == JSON_A
    tombstone = did_pb2.DIDDocumentWithSeq(document=did_pb2.DIDDocument(), sequence=1)
    assert compact(did_json.with_seq_to_json(tombstone)) == TOMBSTONE_JSON
    assert did_json.with_seq_to_json(did_pb2.DIDDocumentWithSeq(sequence=2)) == {"document": None, "sequence": "2"}


def test_json_a_relationships_and_strings() -> None:
    doc = key_document(KEY.public_key())
    doc.controller.SetInParent()
    doc.assertion_methods.append(did_pb2.VerificationRelationship(verification_method=did_pb2.VerificationMethod(
        id=f"{DID}#key2", type="EcdsaSecp256k1VerificationKey2019", public_key_base58=PUB)))
    doc.services.append(did_pb2.Service(id="s1", type="LinkedDomains", service_endpoint="https://example.org"))
    out = did_json.document_to_json(doc)
    assert out["controller"] == []  # present but empty: an empty array, not null
    assert out["assertion_methods"] == [  # encoding/json of the method: snake_case, empty fields left out
        {"id": f"{DID}#key2", "type": "EcdsaSecp256k1VerificationKey2019", "public_key_base58": PUB}]
    assert out["services"] == [{"id": "s1", "type": "LinkedDomains", "service_endpoint": "https://example.org"}]
    assert list(out) == ["contexts", "id", "controller", "verification_methods", "authentications",
                         "assertion_methods", "key_agreements", "capability_invocations", "capability_delegations",
                         "services"]


def test_json_b_of_section_11() -> None:
    doc = key_document(KEY.public_key())
    assert did_json.document_to_json_b(doc) == {
        "@context": [V1], "id": DID,
        "verificationMethod": [{"id": f"{DID}#key1", "type": "EcdsaSecp256k1VerificationKey2019", "controller": DID,
                                "publicKeyBase58": PUB}],
        "authentication": [f"{DID}#key1"]}
    doc.key_agreements.append(did_pb2.VerificationRelationship(verification_method=did_pb2.VerificationMethod(
        id=f"{DID}#key3", public_key_base58=PUB)))
    assert did_json.document_to_json_b(doc)["keyAgreement"] == [{"id": f"{DID}#key3", "public_key_base58": PUB}]
    assert did_json.document_to_json_b(did_pb2.DIDDocument()) == {}


@pytest.mark.parametrize("text", [JSON_A])
def test_json_a_reads_back(text: str) -> None:
    record = did_json.with_seq_from_json(json.loads(text)["did_document_with_seq"])
    assert record == did_pb2.DIDDocumentWithSeq(document=key_document(KEY.public_key()), sequence=0)
    assert did_json.with_seq_from_json(json.loads(TOMBSTONE_JSON)) == did_pb2.DIDDocumentWithSeq(
        document=did_pb2.DIDDocument(), sequence=1)


def test_contexts_string_or_array() -> None:
    two = did_json.document_from_json({"@context": [V1, "https://example.com"]})
    assert list(two.contexts.values) == [V1, "https://example.com"]
    one = did_json.document_from_json({"contexts": V1})
    assert list(one.contexts.values) == [V1]
    empty = did_json.document_from_json({"@context": []})
    assert empty.HasField("contexts") and list(empty.contexts.values) == []
    absent = did_json.document_from_json({"@context": None, "controller": None})
    assert not absent.HasField("contexts") and not absent.HasField("controller")
    controlled = did_json.document_from_json({"controller": DID})
    assert list(controlled.controller.values) == [DID]


def test_relationships_string_or_object_snake_or_camel() -> None:
    doc = did_json.document_from_json({"authentication": [
        f"{DID}#key1",
        {"id": f"{DID}#key2", "type": "T", "controller": DID, "publicKeyBase58": PUB},
        {"id": f"{DID}#key3", "type": "T", "controller": DID, "public_key_base58": PUB},
    ]})
    refs = list(doc.authentications)
    assert refs[0] == did_pb2.VerificationRelationship(verification_method_id=f"{DID}#key1")
    assert refs[1].verification_method == did_pb2.VerificationMethod(id=f"{DID}#key2", type="T", controller=DID,
                                                                      public_key_base58=PUB)
    assert refs[2].verification_method.public_key_base58 == PUB


def test_snake_and_w3c_files_parse_to_the_same_document() -> None:
    """TestReadDIDDoc*: a snake_case file and its W3C (json_name) twin give identical documents."""
    vm = {"id": f"{DID}#key1", "type": "Secp256k1VerificationKey2018", "controller": DID}
    snake = {"contexts": [V1], "id": DID, "verification_methods": [{**vm, "public_key_base58": PUB}],
             "authentications": [f"{DID}#key1", {**vm, "id": f"{DID}#key2", "public_key_base58": PUB}],
             "assertion_methods": [f"{DID}#key1"], "key_agreements": [f"{DID}#key1"],
             "capability_invocations": [f"{DID}#key1"], "capability_delegations": [f"{DID}#key1"],
             "services": [{"id": "s", "type": "t", "service_endpoint": "https://e"}]}
    w3c = {"@context": V1, "id": DID, "verificationMethod": [{**vm, "publicKeyBase58": PUB}],
           "authentication": [f"{DID}#key1", {**vm, "id": f"{DID}#key2", "publicKeyBase58": PUB}],
           "assertionMethod": [f"{DID}#key1"], "keyAgreement": [f"{DID}#key1"],
           "capabilityInvocation": [f"{DID}#key1"], "capabilityDelegation": [f"{DID}#key1"],
           "service": [{"id": "s", "type": "t", "serviceEndpoint": "https://e"}]}
    assert did_json.document_from_json(snake) == did_json.document_from_json(w3c)
    assert did_json.document_to_json(did_json.document_from_json(snake))["services"] == snake["services"]


@pytest.mark.parametrize(("obj", "message"), [
    ([], "document: expected a JSON object, got an array"),
    ({"bogus": 1}, 'document: unknown field "bogus"'),
    ({"@context": V1, "contexts": V1}, 'document: field "contexts" given twice'),
    ({"id": 5}, "document.id: expected a string, got a number"),
    ({"@context": [1]}, "document.contexts[0]: expected a string, got a number"),
    ({"@context": {}}, "document.contexts: expected an array, got an object"),
    ({"verificationMethod": {}}, "document.verification_methods: expected an array, got an object"),
    ({"verificationMethod": [{"key": "x"}]}, 'document.verification_methods[0]: unknown field "key"'),
    ({"authentication": [7]}, "document.authentications[0]: expected a string or an object, got a number"),
    ({"authentication": [{"publicKey": "x"}]}, 'document.authentications[0]: unknown field "publicKey"'),
    ({"service": [{"endpoint": "x"}]}, 'document.services[0]: unknown field "endpoint"'),
    ({"service": [{"id": True}]}, "document.services[0].id: expected a string, got a boolean"),
])
def test_bad_json_input(obj: Any, message: str) -> None:
    with pytest.raises(ValueError) as info:
        did_json.document_from_json(obj)
    assert str(info.value) == message


@pytest.mark.parametrize(("sequence", "expected"), [("0", 0), ("18446744073709551615", 2**64 - 1), (3, 3),
                                                     (None, 0)])
def test_sequence(sequence: Any, expected: int) -> None:
    assert did_json.with_seq_from_json({"sequence": sequence}).sequence == expected


@pytest.mark.parametrize(("sequence", "message"), [
    ("-1", "DIDDocumentWithSeq.sequence: expected an unsigned integer, got '-1'"),
    ("1.5", "DIDDocumentWithSeq.sequence: expected an unsigned integer, got '1.5'"),
    (True, "DIDDocumentWithSeq.sequence: expected an unsigned integer, got a boolean"),
    (1.0, "DIDDocumentWithSeq.sequence: expected an unsigned integer, got a number"),
    (2**64, f"DIDDocumentWithSeq.sequence: {2**64} is out of the uint64 range"),
])
def test_bad_sequence(sequence: Any, message: str) -> None:
    with pytest.raises(ValueError) as info:
        did_json.with_seq_from_json({"sequence": sequence})
    assert str(info.value) == message


def test_record_keys() -> None:
    with pytest.raises(ValueError) as info:
        did_json.with_seq_from_json({"doc": {}}, "documents[x]")
    assert str(info.value) == 'documents[x]: unknown field "doc"'
    assert not did_json.with_seq_from_json({"document": None}).HasField("document")
    assert did_json.with_seq_from_json({"document": {}}).HasField("document")
