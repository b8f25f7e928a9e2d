"""did-reference §3.1 ValidateBasic (messages_did_test), its wraps, and the departures of item 2 with their
reference mode (REF-1, REF-3, duplicate ids; REF-4 is refused in both modes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from panacea.chain.modules.did import msgs
from panacea.chain.modules.did.keeper import DIDKeeper
from panacea.chain.modules.did.module import DIDModule
from panacea.chain.modules.did.validation import document_text
from panacea.types.pb.panacea.did.v2 import did_pb2, tx_pb2

from .conftest import DID, DID2, FROM, create_msg, deactivate_msg, document, embedded, error_of, key, method, ref

OWNER = key("did-owner")
MODES = [False, True]


def reference_msg() -> tx_pb2.MsgCreateDID:
    """messages_did_test TestMsgCreateDID: #key1 authenticating, an embedded assertion #key2, a service."""
    doc = document(DID, OWNER, contexts=True)
    doc.verification_methods[0].public_key_base58 = "qoRmLNBEXoaKDE8dKffMq2DBNxacTEfvbKRuFrccYW1b"
    vm2 = did_pb2.VerificationMethod(id=f"{DID}#key2", type=doc.verification_methods[0].type, controller=DID,
                                     public_key_base58="qoRmLNBEXoaKDE8dKffMq2DBNxacTEfvbKRuFrccYW1b")
    doc.assertion_methods.append(embedded(vm2))
    doc.services.append(did_pb2.Service(id="service1", type="LinkedDomains", service_endpoint="https://example.org"))
    return tx_pb2.MsgCreateDID(did=DID, document=doc, verification_method_id=f"{DID}#key1", signature=b"my-sig",
                               from_address=FROM)


def update_of(msg: tx_pb2.MsgCreateDID) -> tx_pb2.MsgUpdateDID:
    return tx_pb2.MsgUpdateDID(did=msg.did, document=msg.document, verification_method_id=msg.verification_method_id,
                               signature=msg.signature, from_address=msg.from_address)


def test_reference_create_msg() -> None:
    msg = reference_msg()
    routes = {r.type_url: r for r in DIDModule(DIDKeeper()).routes()}
    route = routes["/panacea.did.v2.MsgCreateDID"]
    assert route.action == "create_did"
    route.validate_basic(msg)
    assert route.signers(msg) == [FROM]
    assert sorted(routes) == ["/panacea.did.v2.MsgCreateDID", "/panacea.did.v2.MsgDeactivateDID",
                              "/panacea.did.v2.MsgUpdateDID"]
    assert [r.action for r in routes.values()] == ["create_did", "update_did", "deactivate_did"]


def _log(fn: Callable[..., None], msg: Any, **kw: Any) -> tuple[str, int, str]:
    e = error_of(lambda: fn(msg, **kw))
    return e.codespace, e.code, e.log


@pytest.mark.parametrize("compat", MODES)
def test_create_checks_in_order(compat: bool) -> None:
    msg = reference_msg()
    msg.did = "did:panacea:x"
    msg.ClearField("document")
    msg.signature = b""
    assert _log(msgs.validate_create_did, msg, reference_compat=compat) == (
        "did", 3, "did: did:panacea:x: Invalid DID")
    msg.did = DID
    assert _log(msgs.validate_create_did, msg, reference_compat=compat) == (
        "did", 4, "DIDDocument: <nil>: Invalid DID Document")
    msg.document.CopyFrom(reference_msg().document)
    msg.document.services[0].service_endpoint = ""
    assert _log(msgs.validate_create_did, msg, reference_compat=compat) == (
        "did", 4, f"DIDDocument: {document_text(msg.document)}: Invalid DID Document")
    msg.document.services[0].service_endpoint = "https://example.org"
    assert _log(msgs.validate_create_did, msg, reference_compat=compat) == (
        "did", 6, "Signature: []: Invalid signature")
    msg.signature = b"sig"
    msg.from_address = ""
    assert _log(msgs.validate_create_did, msg, reference_compat=compat) == (
        "undefined", 1, "empty address string is not allowed")
    msg.from_address = "panacea1invalid"
    assert _log(msgs.validate_create_did, msg, reference_compat=compat)[:2] == ("undefined", 1)


@pytest.mark.parametrize("compat", MODES)
def test_update_wraps_the_did_as_DID(compat: bool) -> None:
    msg = update_of(reference_msg())
    msgs.validate_update_did(msg, reference_compat=compat)
    msg.did = "nope"
    assert _log(msgs.validate_update_did, msg, reference_compat=compat) == ("did", 3, "DID: nope: Invalid DID")
    msg.did = DID
    msg.ClearField("document")
    assert _log(msgs.validate_update_did, msg, reference_compat=compat) == (
        "did", 4, "DIDDocument: <nil>: Invalid DID Document")
    msg.document.CopyFrom(reference_msg().document)
    msg.signature = b""
    assert _log(msgs.validate_update_did, msg, reference_compat=compat)[1] == 6


def test_deactivate_checks_in_order() -> None:
    msg = deactivate_msg(DID, OWNER, 0)
    msgs.validate_deactivate_did(msg)
    assert msgs.signers(msg) == [FROM]
    msg.did = DID + "\n"
    assert _log(msgs.validate_deactivate_did, msg) == ("did", 3, f"DID: {DID}\n: Invalid DID")
    msg.did, msg.signature = DID, b""
    assert _log(msgs.validate_deactivate_did, msg) == ("did", 6, "Signature: []: Invalid signature")
    msg.signature, msg.from_address = b"x", ""
    assert _log(msgs.validate_deactivate_did, msg) == ("undefined", 1, "empty address string is not allowed")


# --- departures (item 2) and the reference mode -------------------------------------------------------------------
@pytest.mark.parametrize("validate", [msgs.validate_create_did, msgs.validate_update_did])
def test_did_must_be_the_document_id(validate: Callable[..., None]) -> None:
    msg = create_msg(DID, OWNER, document(DID2, OWNER))
    target = msg if validate is msgs.validate_create_did else update_of(msg)
    assert _log(validate, target) == (
        "did", 4, f"the DID {DID} is not the document id {DID2}: Invalid DID Document")
    validate(target, reference_compat=True)  # REF-1: stored under msg.did whatever the id says


@pytest.mark.parametrize("validate", [msgs.validate_create_did, msgs.validate_update_did])
def test_an_empty_id_document_is_refused(validate: Callable[..., None]) -> None:
    doc = document(DID, OWNER)
    doc.id = ""
    msg = create_msg(DID, OWNER, doc)
    target = msg if validate is msgs.validate_create_did else update_of(msg)
    assert _log(validate, target) == ("did", 4, "the document has an empty id: Invalid DID Document")
    validate(target, reference_compat=True)  # REF-3: the tombstone form counts as valid
    empty = create_msg(DID, OWNER, did_pb2.DIDDocument())
    target = empty if validate is msgs.validate_create_did else update_of(empty)
    assert _log(validate, target)[1:] == (4, "the document has an empty id: Invalid DID Document")


@pytest.mark.parametrize("validate", [msgs.validate_create_did, msgs.validate_update_did])
def test_an_absent_document_is_refused_in_both_modes_never_a_panic(validate: Callable[..., None]) -> None:
    msg = create_msg(DID, OWNER)
    msg.ClearField("document")
    target = msg if validate is msgs.validate_create_did else update_of(msg)
    target.ClearField("document")
    for compat in MODES:
        assert _log(validate, target, reference_compat=compat) == (
            "did", 4, "DIDDocument: <nil>: Invalid DID Document")


def test_duplicate_method_ids_are_refused_outside_reference_mode() -> None:
    doc = document(DID, OWNER)
    doc.verification_methods.append(method(DID, key("bls")))
    msg = create_msg(DID, OWNER, doc)
    assert _log(msgs.validate_create_did, msg) == (
        "did", 4, f"the verification method id {DID}#key1 is used twice: Invalid DID Document")
    msgs.validate_create_did(msg, reference_compat=True)
    doc = document(DID, OWNER)
    doc.authentications.append(embedded(method(DID, key("other"), "key2")))
    doc.assertion_methods.append(embedded(method(DID, key("other"), "key2")))
    assert _log(msgs.validate_update_did, update_of(create_msg(DID, OWNER, doc)))[2] == (
        f"the verification method id {DID}#key2 is used twice: Invalid DID Document")


def test_the_routes_follow_the_keeper_mode() -> None:
    doc = document(DID, OWNER)
    doc.id = ""
    msg = create_msg(DID, OWNER, doc)
    strict = {r.type_url: r for r in DIDModule(DIDKeeper()).routes()}
    legacy = {r.type_url: r for r in DIDModule(DIDKeeper(reference_compat=True)).routes()}
    assert error_of(strict["/panacea.did.v2.MsgCreateDID"].validate_basic, msg).code == 4
    legacy["/panacea.did.v2.MsgCreateDID"].validate_basic(msg)
    assert error_of(strict["/panacea.did.v2.MsgUpdateDID"].validate_basic, update_of(msg)).code == 4
    legacy["/panacea.did.v2.MsgUpdateDID"].validate_basic(update_of(msg))


def test_relationship_references_are_checked_in_validate_basic() -> None:
    doc = document(DID, OWNER)
    doc.capability_delegations.append(ref(f"{DID}#missing"))
    assert error_of(msgs.validate_create_did, create_msg(DID, OWNER, doc)).code == 4
