"""did-reference §8 "keeper" (did_test, private_test, msg_server_did_test), §3.2-§3.3, the REF-5 departure and
its reference mode, and the §11 store vectors."""

from __future__ import annotations

import base58
import pytest

from panacea.chain.errors import Registered
from panacea.chain.modules.did import errors
from panacea.chain.modules.did.keeper import (
    DIDKeeper,
    is_deactivated,
    is_empty,
    tombstone,
    verify_ownership,
)
from panacea.chain.modules.did.keys import STORE, did_key
from panacea.crypto import did as did_crypto
from panacea.crypto.keys import SECP256K1_N
from panacea.types.lp import marshal_length_prefixed
from panacea.types.pb.panacea.did.v2 import did_pb2, tx_pb2

from .conftest import (
    DID,
    Env,
    create_msg,
    deactivate_msg,
    document,
    embedded,
    error_of,
    key,
    method,
    ref,
    reference_document,
    sign,
    update_msg,
)
from .vectors import CREATE_SIG, DOCPB, VECTOR_DID, VECTOR_KEY


def code_of(e: Registered) -> tuple[str, int]:
    return e.codespace, e.code


def raw(env: Env, did: str) -> bytes | None:
    return env.ctx.kv(STORE).get(did_key(did))


# --- store ------------------------------------------------------------------------------------------------------
def test_set_get_and_list_in_key_order(env: Env) -> None:
    first, second = "did1:panacea:7Prd74ry1Uct87nZqL3ny7aR7Cg46JamVbJgk8azVgUm", "did1:panacea:1Prd74ry1Uct87nZqgap"
    record = did_pb2.DIDDocumentWithSeq(document=reference_document(DID, env.owner), sequence=0)
    env.keeper.set(env.ctx, first, record)
    env.keeper.set(env.ctx, second, record)
    assert env.keeper.get(env.ctx, first) == record
    assert env.keeper.list_dids(env.ctx) == [second, first]


def test_get_of_an_absent_did_is_the_empty_record(env: Env) -> None:
    record = env.keeper.get(env.ctx, DID)
    assert record == did_pb2.DIDDocumentWithSeq() and is_empty(record) and not is_deactivated(record)


def test_record_predicates() -> None:
    doc = document(DID, key("x"))
    assert not is_empty(did_pb2.DIDDocumentWithSeq(document=doc, sequence=0))
    assert is_empty(did_pb2.DIDDocumentWithSeq(document=did_pb2.DIDDocument(), sequence=0))
    assert is_empty(did_pb2.DIDDocumentWithSeq(sequence=5))  # no document: empty, never "deactivated"
    assert not is_deactivated(did_pb2.DIDDocumentWithSeq(sequence=5))
    assert is_deactivated(tombstone(1)) and not is_empty(tombstone(1))


def test_store_vectors_of_section_11(env: Env) -> None:
    doc = did_crypto.key_document(VECTOR_KEY.public_key())
    assert doc.SerializeToString() == DOCPB
    assert did_key(VECTOR_DID) == b"\x00" + VECTOR_DID.encode()
    msg = create_msg(VECTOR_DID, VECTOR_KEY, doc)
    assert msg.signature == CREATE_SIG
    env.keeper.create_did(env.ctx, msg)
    assert raw(env, VECTOR_DID) == bytes.fromhex("eb020ae802") + DOCPB
    env.keeper.deactivate_did(env.ctx, deactivate_msg(VECTOR_DID, VECTOR_KEY, 0))
    assert raw(env, VECTOR_DID) == bytes.fromhex("040a001001")
    controlled = did_pb2.DIDDocument(id="x", controller=did_pb2.Strings())
    assert controlled.SerializeToString().hex() == "1201781a00"  # a present, empty controller: 1a00 after the id
    assert marshal_length_prefixed(tombstone(1)).hex() == "040a001001"


# --- ownership (§3.2) --------------------------------------------------------------------------------------------
def test_verify_ownership_returns_the_next_sequence() -> None:
    k = key("owner")
    doc = document(DID, k)
    assert verify_ownership(doc.SerializeToString(), 0, doc, f"{DID}#key1", sign(k, doc, 0)) == 1
    assert verify_ownership(doc.SerializeToString(), 100, doc, f"{DID}#key1", sign(k, doc, 100)) == 101


def test_verify_ownership_failures() -> None:
    k = key("owner")
    doc = document(DID, k)
    data = doc.SerializeToString()
    e = error_of(verify_ownership, data, 0, doc, f"{DID}#key1", sign(k, doc, 11234))
    assert (e.codespace, e.code, e.log) == ("did", 9, "DID signature verification was failed")
    e = error_of(verify_ownership, data, 0, doc, f"{DID}#key1", sign(key("attacker"), doc, 0))
    assert e.log == "DID signature verification was failed"
    e = error_of(verify_ownership, data, 0, doc, f"{DID}#key2", sign(k, doc, 0))
    assert (e.code, e.log) == (8, f"VerificationMethodId: {DID}#key2: VerificationMethodID not found")
    # a key that is listed but not an authentication key
    doc.verification_methods.append(method(DID, k, "key2"))
    e = error_of(verify_ownership, data, 0, doc, f"{DID}#key2", sign(k, doc, 0))
    assert e.code == 8
    # the key type
    bls = document(DID, k)
    bls.verification_methods[0].type = "Bls12381G2Key2020"
    e = error_of(verify_ownership, data, 0, bls, f"{DID}#key1", sign(k, doc, 0))
    assert (e.code, e.log) == (15, "VerificationMethod: Bls12381G2Key2020: Verification not implemented with key type")
    # Secp256k1VerificationKey2018 proves ownership too
    old = document(DID, k)
    old.verification_methods[0].type = "Secp256k1VerificationKey2018"
    assert verify_ownership(data, 0, old, f"{DID}#key1", did_crypto.sign_ownership(k, data, 0)) == 1
    # the key bytes: 33 bytes only (uncompressed and undecodable keys are refused)
    for text in (base58.b58encode(k.public_key().uncompressed()).decode(), "0OIl", ""):
        bad = document(DID, k)
        bad.verification_methods[0].public_key_base58 = text
        e = error_of(verify_ownership, data, 0, bad, f"{DID}#key1", sign(k, doc, 0))
        assert (e.code, e.log) == (10, f"PublicKey: {text}: Invalid Secp256k1 public key")
    # 33 bytes that are no key: the signature check fails
    bad = document(DID, k)
    bad.verification_methods[0].public_key_base58 = base58.b58encode(b"\x04" + bytes(32)).decode()
    assert error_of(verify_ownership, data, 0, bad, f"{DID}#key1", sign(k, doc, 0)).code == 9


def test_high_s_twin_of_a_valid_signature_is_refused() -> None:
    doc = did_crypto.key_document(VECTOR_KEY.public_key())
    r, s = CREATE_SIG[:32], int.from_bytes(CREATE_SIG[32:], "big")
    twin = r + (SECP256K1_N - s).to_bytes(32, "big")
    e = error_of(verify_ownership, DOCPB, 0, doc, f"{VECTOR_DID}#key1", twin)
    assert e.code == 9
    assert verify_ownership(DOCPB, 0, doc, f"{VECTOR_DID}#key1", CREATE_SIG) == 1


def test_the_first_match_in_authentication_proves_ownership() -> None:
    k, other = key("owner"), key("other")
    doc = reference_document(DID, k)  # #key1 twice: the ES256K key is first
    assert verify_ownership(b"d", 0, doc, f"{DID}#key1", did_crypto.sign_ownership(k, b"d", 0)) == 1
    doc = did_pb2.DIDDocument(id=DID, verification_methods=[method(DID, k)],
                              authentications=[embedded(method(DID, other, "key9")), ref(f"{DID}#key1")])
    assert verify_ownership(b"d", 3, doc, f"{DID}#key9", did_crypto.sign_ownership(other, b"d", 3)) == 4


# --- CreateDID ---------------------------------------------------------------------------------------------------
def test_create(env: Env) -> None:
    doc = reference_document(DID, env.owner)
    env.keeper.create_did(env.ctx, create_msg(DID, env.owner, doc, from_address=""))  # keeper tests skip VB
    assert env.keeper.list_dids(env.ctx) == [DID]
    assert env.keeper.get(env.ctx, DID) == did_pb2.DIDDocumentWithSeq(document=doc, sequence=0)


def test_create_twice_is_did_exists(env: Env) -> None:
    env.keeper.create_did(env.ctx, create_msg(DID, env.owner))
    e = error_of(env.keeper.create_did, env.ctx, create_msg(DID, env.owner))
    assert (e.codespace, e.code, e.log) == ("did", 2, f"DID: {DID}: DID already exists")


def test_create_after_deactivation_is_did_deactivated(env: Env) -> None:
    env.keeper.create_did(env.ctx, create_msg(DID, env.owner))
    env.keeper.deactivate_did(env.ctx, deactivate_msg(DID, env.owner, 0))
    e = error_of(env.keeper.create_did, env.ctx, create_msg(DID, env.owner))
    assert (e.code, e.log) == (13, f"DID: {DID}: DID was already deactivated")


def test_create_with_a_polluted_signature(env: Env) -> None:
    msg = create_msg(DID, env.owner)
    msg.signature = bytes([(msg.signature[0] + 1) % 256]) + msg.signature[1:]
    assert error_of(env.keeper.create_did, env.ctx, msg).code == 9
    assert env.keeper.list_dids(env.ctx) == []


def test_create_is_self_signed_by_the_new_document(env: Env) -> None:
    other = key("other")
    msg = create_msg(DID, env.owner)
    msg.signature = sign(other, msg.document, 0)
    assert error_of(env.keeper.create_did, env.ctx, msg).code == 9


def test_unknown_fields_are_dropped_before_signing_and_storing(env: Env) -> None:
    """gogoproto keeps no unknown fields: the chain signs and stores the re-encoded decoded document."""
    doc = document(DID, env.owner)
    wire = doc.SerializeToString() + bytes.fromhex("f207026869")  # field 110, "hi"
    msg = tx_pb2.MsgCreateDID(did=DID, verification_method_id=f"{DID}#key1", signature=sign(env.owner, doc, 0))
    msg.document.MergeFromString(wire)
    assert msg.document.SerializeToString() == wire
    env.keeper.create_did(env.ctx, msg)
    assert env.keeper.get(env.ctx, DID).document.SerializeToString() == doc.SerializeToString()


# --- UpdateDID ---------------------------------------------------------------------------------------------------
def _with_key2(doc: did_pb2.DIDDocument) -> did_pb2.DIDDocument:
    new = did_pb2.DIDDocument()
    new.CopyFrom(doc)
    new.verification_methods.append(method(DID, key("key2"), "key2"))
    return new


def test_update_signed_by_the_current_document(env: Env) -> None:
    doc = document(DID, env.owner)
    env.keeper.create_did(env.ctx, create_msg(DID, env.owner, doc))
    new = _with_key2(doc)
    msg = update_msg(DID, env.owner, new, 0)
    env.keeper.update_did(env.ctx, msg)
    assert env.keeper.get(env.ctx, DID) == did_pb2.DIDDocumentWithSeq(document=new, sequence=1)
    e = error_of(env.keeper.update_did, env.ctx, msg)  # a replay signs the old sequence
    assert (e.code, e.log) == (9, "DID signature verification was failed")
    # the next update is checked against the stored document: the new key #key2 cannot sign for #key1
    newer = _with_key2(new)
    newer.services.append(did_pb2.Service(id="s", type="t", service_endpoint="e"))
    assert error_of(env.keeper.update_did, env.ctx, update_msg(DID, key("key2"), newer, 1, fragment="key2")).code == 8
    env.keeper.update_did(env.ctx, update_msg(DID, env.owner, newer, 1))
    assert env.keeper.get(env.ctx, DID).sequence == 2


def test_update_of_an_unknown_did(env: Env) -> None:
    e = error_of(env.keeper.update_did, env.ctx, update_msg(DID, env.owner, document(DID, env.owner), 0))
    assert (e.code, e.log) == (5, f"DID: {DID}: DID not found")


def test_update_after_deactivation(env: Env) -> None:
    env.keeper.create_did(env.ctx, create_msg(DID, env.owner))
    env.keeper.deactivate_did(env.ctx, deactivate_msg(DID, env.owner, 0))
    e = error_of(env.keeper.update_did, env.ctx, update_msg(DID, env.owner, _with_key2(document(DID, env.owner)), 1))
    assert (e.code, e.log) == (13, f"DID: {DID}: DID was already deactivated")


def test_the_create_signature_cannot_be_replayed_as_the_first_update(env: Env) -> None:
    """REF-5 departure: an unchanged document is refused, so the seq-0 create signature is useless as an update."""
    create = create_msg(DID, env.owner)
    env.keeper.create_did(env.ctx, create)
    replay = tx_pb2.MsgUpdateDID(did=DID, document=create.document, verification_method_id=f"{DID}#key1",
                                 signature=create.signature, from_address="panacea1attacker")
    e = error_of(env.keeper.update_did, env.ctx, replay)
    assert (e.code, e.log) == (4, "the document is unchanged: Invalid DID Document")
    assert env.keeper.get(env.ctx, DID).sequence == 0
    # the owner's own first update still signs at the queried sequence 0
    env.keeper.update_did(env.ctx, update_msg(DID, env.owner, _with_key2(create.document), 0))
    assert env.keeper.get(env.ctx, DID).sequence == 1


def test_reference_mode_lets_the_create_signature_be_replayed(ref_env: Env) -> None:
    env = ref_env
    create = create_msg(DID, env.owner)
    env.keeper.create_did(env.ctx, create)
    replay = tx_pb2.MsgUpdateDID(did=DID, document=create.document, verification_method_id=f"{DID}#key1",
                                 signature=create.signature)
    env.keeper.update_did(env.ctx, replay)
    assert env.keeper.get(env.ctx, DID) == did_pb2.DIDDocumentWithSeq(document=create.document, sequence=1)
    # and the owner's pending seq-0 update now fails
    e = error_of(env.keeper.update_did, env.ctx, update_msg(DID, env.owner, _with_key2(create.document), 0))
    assert e.code == 9


def test_reference_mode_update_with_an_empty_id_deactivates_and_keeps_the_fields(ref_env: Env) -> None:
    """REF-3 (reference mode only: ValidateBasic refuses an empty id otherwise)."""
    env = ref_env
    env.keeper.create_did(env.ctx, create_msg(DID, env.owner))
    blank = document(DID, env.owner)
    blank.id = ""
    env.keeper.update_did(env.ctx, update_msg(DID, env.owner, blank, 0))
    record = env.keeper.get(env.ctx, DID)
    assert is_deactivated(record) and record.document == blank and record.sequence == 1
    assert error_of(env.keeper.create_did, env.ctx, create_msg(DID, env.owner)).code == 13


def test_reference_mode_create_with_an_empty_id_stores_a_record_that_reads_as_empty(ref_env: Env) -> None:
    env = ref_env
    blank = document(DID, env.owner)
    blank.id = ""
    env.keeper.create_did(env.ctx, create_msg(DID, env.owner, blank))
    assert is_empty(env.keeper.get(env.ctx, DID)) and env.keeper.list_dids(env.ctx) == [DID]
    env.keeper.create_did(env.ctx, create_msg(DID, env.owner))  # a later create overwrites it
    assert env.keeper.get(env.ctx, DID).document == document(DID, env.owner)


# --- DeactivateDID -----------------------------------------------------------------------------------------------
def test_deactivate_stores_a_permanent_tombstone(env: Env) -> None:
    env.keeper.create_did(env.ctx, create_msg(DID, env.owner))
    env.keeper.deactivate_did(env.ctx, deactivate_msg(DID, env.owner, 0))
    record = env.keeper.get(env.ctx, DID)
    assert not is_empty(record) and is_deactivated(record) and record.sequence == 1
    assert record == tombstone(1) and env.keeper.list_dids(env.ctx) == [DID]


def test_deactivate_after_updates_signs_the_current_sequence(env: Env) -> None:
    doc = document(DID, env.owner)
    env.keeper.create_did(env.ctx, create_msg(DID, env.owner, doc))
    env.keeper.update_did(env.ctx, update_msg(DID, env.owner, _with_key2(doc), 0))
    assert error_of(env.keeper.deactivate_did, env.ctx, deactivate_msg(DID, env.owner, 0)).code == 9
    env.keeper.deactivate_did(env.ctx, deactivate_msg(DID, env.owner, 1))
    assert env.keeper.get(env.ctx, DID) == tombstone(2)


def test_deactivate_errors(env: Env) -> None:
    e = error_of(env.keeper.deactivate_did, env.ctx, deactivate_msg(DID, env.owner, 0))
    assert (e.code, e.log) == (5, f"DID: {DID}: DID not found")
    env.keeper.create_did(env.ctx, create_msg(DID, env.owner))
    polluted = deactivate_msg(DID, env.owner, 0)
    polluted.signature = sign(env.owner, document(DID, env.owner), 0)  # a signature over the full document
    assert error_of(env.keeper.deactivate_did, env.ctx, polluted).code == 9
    env.keeper.deactivate_did(env.ctx, deactivate_msg(DID, env.owner, 0))
    e = error_of(env.keeper.deactivate_did, env.ctx, deactivate_msg(DID, env.owner, 1))
    assert (e.code, e.log) == (13, f"DID: {DID}: DID was already deactivated")


@pytest.mark.parametrize("compat", [False, True])
def test_keeper_mode_flag(compat: bool) -> None:
    assert DIDKeeper(reference_compat=compat).reference_compat is compat
    assert DIDKeeper().reference_compat is False


def test_error_registry_of_the_reference() -> None:
    table = {
        2: "DID already exists", 3: "Invalid DID", 4: "Invalid DID Document", 5: "DID not found",
        6: "Invalid signature", 7: "Invalid VerificationMethodID", 8: "VerificationMethodID not found",
        9: "DID signature verification was failed", 10: "Invalid Secp256k1 public key", 11: "Invalid network ID",
        12: "Invalid DIDDocumentWithSeq", 13: "DID was already deactivated", 14: "Invalid key controller",
        15: "Verification not implemented with key type",
    }
    registered = [v for v in vars(errors).values() if isinstance(v, Registered)]
    assert {e.code: e.message for e in registered} == table
    assert {e.codespace for e in registered} == {"did"}


def test_the_keeper_itself_refuses_an_empty_or_foreign_id(env: Env) -> None:
    """Outside reference mode no caller (ValidateBasic or not) can deactivate a DID through an empty id."""
    env.keeper.create_did(env.ctx, create_msg(DID, env.owner))
    blank = document(DID, env.owner)
    blank.id = ""
    e = error_of(env.keeper.update_did, env.ctx, update_msg(DID, env.owner, blank, 0))
    assert (e.code, e.log) == (4, "the document has an empty id: Invalid DID Document")
    foreign = document("did:panacea:" + "2" * 40, env.owner)
    e = error_of(env.keeper.create_did, env.ctx, create_msg("did:panacea:" + "3" * 40, env.owner, foreign))
    assert e.log == f"the DID did:panacea:{'3' * 40} is not the document id {foreign.id}: Invalid DID Document"
    assert env.keeper.get(env.ctx, DID).sequence == 0 and not is_deactivated(env.keeper.get(env.ctx, DID))
