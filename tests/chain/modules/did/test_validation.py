"""did-reference §8 "types" (did_test.go) and §2, with Go's regexp semantics (REF-7)."""

from __future__ import annotations

import base58
import pytest

from panacea.chain.modules.did.validation import (
    DID_CONTEXT,
    ES256K_2019,
    base58_decode,
    document_text,
    document_valid,
    duplicate_method_id,
    method_by_id,
    method_from,
    validate_contexts,
    validate_did,
    validate_key_type,
    validate_method,
    validate_relationship,
    validate_service,
    validate_verification_method_id,
)
from panacea.crypto.did import did_for_key
from panacea.crypto.keys import PrivateKey
from panacea.types.pb.panacea.did.v2 import did_pb2

from .conftest import DID, DID2, b58, document, embedded, key, method, ref, reference_document

OWNER = key("did-owner")
EXAMPLE = "https://example.com"


def test_new_did_matches_the_syntax() -> None:
    did = did_for_key(PrivateKey.generate().public_key())
    assert did.startswith("did:panacea:") and validate_did(did)


@pytest.mark.parametrize(("did", "valid"), [
    (DID, True),
    ("did:panacea:7Prd74ry1Uct87nZqL3n", False),  # 20 base58 characters
    ("", False),
    ("did:panacea:" + "1" * 32, True),
    ("did:panacea:" + "1" * 31, False),
    ("did:panacea:" + "z" * 44, True),
    ("did:panacea:" + "z" * 45, False),
    ("did:panacea:" + "0" * 32, False),  # 0, O, I and l are not base58
    (DID + "\n", False),  # Go's $ does not match before a trailing newline
    ("did:other:7Prd74ry1Uct87nZqL3ny7aR7Cg46JamVbJgk8azVgUm", False),
    (" " + DID, False),
])
def test_validate_did(did: str, valid: bool) -> None:
    assert validate_did(did) is valid


def test_new_document_with_a_service_is_valid() -> None:
    doc = document(DID, OWNER, contexts=False)
    doc.services.append(did_pb2.Service(id="service1", type="LinkedDomains", service_endpoint="https://service.org"))
    assert document_valid(doc)
    assert (doc.id, list(doc.verification_methods), list(doc.authentications)) == (
        DID, [method(DID, OWNER)], [ref(f"{DID}#key1")])
    assert not doc.HasField("controller")
    assert [len(doc.assertion_methods), len(doc.key_agreements), len(doc.capability_invocations),
            len(doc.capability_delegations)] == [0, 0, 0, 0]


def test_the_empty_document_is_valid_it_is_the_tombstone_form() -> None:
    assert document_valid(did_pb2.DIDDocument())
    assert document_valid(did_pb2.DIDDocument(services=[did_pb2.Service()]))  # nothing but the id is looked at


def _invalid_documents() -> list[did_pb2.DIDDocument]:
    docs = [did_pb2.DIDDocument(id="invalid did")]
    doc = document(DID, OWNER)
    doc.controller.values.append("invalid did")
    docs.append(doc)
    for field in ("authentications", "assertion_methods", "key_agreements", "capability_invocations",
                  "capability_delegations"):
        doc = did_pb2.DIDDocument(id=DID)
        getattr(doc, field).append(ref("invalid did#key1"))
        docs.append(doc)
    docs.append(did_pb2.DIDDocument(id=DID, services=[did_pb2.Service()]))
    return docs


@pytest.mark.parametrize("doc", _invalid_documents())
def test_invalid_documents_of_the_reference(doc: did_pb2.DIDDocument) -> None:
    assert not document_valid(doc)


def test_each_check_of_document_valid() -> None:
    good = document(DID, OWNER)
    assert document_valid(good)

    def variant(**changes: object) -> did_pb2.DIDDocument:
        doc = did_pb2.DIDDocument()
        doc.CopyFrom(good)
        for name, value in changes.items():
            doc.ClearField(name)
            if value is not None:
                getattr(doc, name).extend(value)  # type: ignore[call-overload]
        return doc

    assert not document_valid(variant(verification_methods=None))
    assert not document_valid(variant(authentications=None))
    # controller: all "" (or present and empty) is fine, DIDs are fine, mixing "" with a DID is not
    for values, valid in (([], True), ([""], True), (["", ""], True), ([DID2], True), ([DID, DID2], True),
                          (["", DID2], False), (["nope"], False)):
        doc = variant()
        doc.controller.SetInParent()
        doc.controller.values.extend(values)
        assert document_valid(doc) is valid, values
    # contexts: present with no value is invalid
    doc = variant()
    doc.contexts.ClearField("values")
    assert doc.HasField("contexts") and not document_valid(doc)
    # a VM of another DID
    assert not document_valid(variant(verification_methods=[method(DID2, OWNER)]))
    # a reference that names no VM; an embedded VM need not be listed
    assert not document_valid(variant(assertion_methods=[ref(f"{DID}#key2")]))
    assert document_valid(variant(assertion_methods=[embedded(method(DID, OWNER, "key2"))]))
    assert not document_valid(variant(assertion_methods=[embedded(method(DID, OWNER, "key 2"))]))
    # an unset relationship reads as the reference ""
    assert not document_valid(variant(key_agreements=[did_pb2.VerificationRelationship()]))
    assert not document_valid(variant(services=[did_pb2.Service(id="s", type="t")]))
    assert document_valid(variant(services=[did_pb2.Service(id="s", type="t", service_endpoint="not a uri")]))


def test_verification_method_by_id_is_the_first_match() -> None:
    doc = reference_document(DID, OWNER)
    assert method_by_id(doc, f"{DID}#key1") == method(DID, OWNER)
    assert method_by_id(doc, f"{DID}#key2") is None


def test_verification_method_from_authentication() -> None:
    doc = reference_document(DID, OWNER)
    assert method_from(doc, doc.authentications, f"{DID}#key1") == method(DID, OWNER)
    assert method_from(doc, doc.authentications, f"{DID}#key2") is None
    doc.ClearField("authentications")
    assert method_from(doc, doc.authentications, f"{DID}#key1") is None
    other = method(DID, key("other"), "key9")
    doc.authentications.extend([embedded(other)])
    assert method_from(doc, doc.authentications, f"{DID}#key9") == other  # embedded: used as it is


@pytest.mark.parametrize(("values", "valid"), [
    ([], False), ([DID_CONTEXT], True), ([DID_CONTEXT, EXAMPLE], True), ([EXAMPLE, DID_CONTEXT], False),
    ([DID_CONTEXT, DID_CONTEXT], False), ([DID_CONTEXT, ""], False),
])
def test_contexts_valid(values: list[str], valid: bool) -> None:
    assert validate_contexts(did_pb2.Strings(values=values)) is valid


def test_an_absent_contexts_is_not_checked() -> None:
    assert document_valid(document(DID, OWNER, contexts=False))


def test_new_verification_method_id() -> None:
    vm_id = f"{DID}#key1"
    assert validate_verification_method_id(vm_id, DID)
    assert vm_id.split("#", 1) == [DID, "key1"]


@pytest.mark.parametrize(("vm_id", "valid"), [
    (f"{DID}#key1", True),
    (f"{DID}# key1", False),
    (f"{DID}#key1 ", False),
    (f"{DID}#", False),
    (DID, False),
    ("invalid#key1", False),
    (f"{DID2}#key1", False),
    (f"{DID}#" + "k" * 128, True),
    (f"{DID}#" + "k" * 129, False),
    (f"{DID}#" + "é" * 64, True),  # 128 UTF-8 bytes
    (f"{DID}#" + "é" * 65, False),  # 65 characters but 130 bytes
    (f"{DID}#key1\n", False),  # no trailing-newline leniency
    (f"{DID}#key\t1", False),
    (f"{DID}#key\f1", False),
    (f"{DID}#key\r1", False),
    (f"{DID}#key\v1", True),  # Go's \s is [\t\n\f\r ]: \v passes
    (f"{DID}#key\u00a01", True),  # so do Unicode spaces
    (f"{DID}#key#1", True),
    (f"{DID}#ключ", True),
])
def test_verification_method_id_valid(vm_id: str, valid: bool) -> None:
    assert validate_verification_method_id(vm_id, DID) is valid


@pytest.mark.parametrize(("key_type", "valid"), [(ES256K_2019, True), ("NewKeyType2021", True), ("", False)])
def test_key_type_valid(key_type: str, valid: bool) -> None:
    assert validate_key_type(key_type) is valid


def test_new_verification_method() -> None:
    vm = method(DID, OWNER)
    assert validate_method(vm, DID)
    assert base58_decode(vm.public_key_base58) == OWNER.public_key().compressed
    assert not validate_method(did_pb2.VerificationMethod(id=vm.id, type=vm.type, public_key_base58="0OIl"), DID)
    assert not validate_method(did_pb2.VerificationMethod(id=vm.id, type=vm.type), DID)
    assert not validate_method(did_pb2.VerificationMethod(id=vm.id, public_key_base58=b58(OWNER)), DID)
    assert validate_method(did_pb2.VerificationMethod(id=vm.id, type="x", public_key_base58="1"), DID)  # no length


def test_verification_relationship_valid() -> None:
    assert validate_relationship(ref(f"{DID}#key1"), DID)
    assert validate_relationship(embedded(method(DID, OWNER)), DID)
    assert not validate_relationship(ref("invalid"), DID)
    assert not validate_relationship(embedded(did_pb2.VerificationMethod(id="invalid")), DID)


@pytest.mark.parametrize(("service", "valid"), [
    (did_pb2.Service(id="service1", type="LinkedDomains", service_endpoint="https://service.org"), True),
    (did_pb2.Service(type="LinkedDomains", service_endpoint="https://service.org"), False),
    (did_pb2.Service(id="service1", service_endpoint="https://service.org"), False),
    (did_pb2.Service(id="service1", type="LinkedDomains"), False),
])
def test_service_valid(service: did_pb2.Service, valid: bool) -> None:
    assert validate_service(service) is valid


def test_duplicate_method_ids() -> None:
    assert duplicate_method_id(document(DID, OWNER)) is None
    assert duplicate_method_id(reference_document(DID, OWNER)) == f"{DID}#key1"
    doc = document(DID, OWNER)
    doc.assertion_methods.extend([embedded(method(DID, OWNER, "key2")), embedded(method(DID, OWNER, "key2"))])
    assert duplicate_method_id(doc) == f"{DID}#key2"
    doc = document(DID, OWNER)
    doc.assertion_methods.append(embedded(method(DID, key("other"))))  # embedded #key1 beside the listed #key1
    assert duplicate_method_id(doc) == f"{DID}#key1"


@pytest.mark.parametrize("text", ["", "1", "111", "pQNuhVNdgHBP7SeAAP7kYz1QqYxk86z6LbwBwnRE2NrD", "1112", "z" * 60])
def test_base58_decode_is_btcutil(text: str) -> None:
    assert base58_decode(text) == base58.b58decode(text)


@pytest.mark.parametrize("text", ["0", "abc0", "l", " 1", "é"])
def test_base58_decode_gives_nothing_for_a_bad_character(text: str) -> None:
    assert base58_decode(text) == b""


def test_document_text_is_gogoproto_compact_text() -> None:
    assert document_text(None) == "<nil>"
    assert document_text(did_pb2.DIDDocument()) == ""
    doc = did_pb2.DIDDocument(id="did:x", verification_methods=[did_pb2.VerificationMethod(id='a"\\\n\té')],
                              authentications=[ref("r")], services=[did_pb2.Service(id="s")])
    doc.contexts.SetInParent()
    assert document_text(doc) == (
        'contexts:"" id:"did:x" verification_methods:<id:"a\\"\\\\\\n\\t\\303\\251" > '
        'authentications:"\\n\\001r" services:<id:"s" > ')
