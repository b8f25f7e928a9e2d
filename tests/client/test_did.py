"""panacea.client.did (the three msgs with their ownership proofs) and the DID query (did-reference §3.2, §6, §11)."""

from __future__ import annotations

import asyncio
import hashlib

import base58
import pytest
from google.protobuf.message import Message

from panacea.client import AsyncChainClient, ChainClient, NotFoundError, SimulationError
from panacea.client.did import (
    authentication_method,
    create_did_msg,
    deactivate_did_msg,
    document_bytes,
    method_public_key,
    update_did_msg,
)
from panacea.client.queries import did as did_queries
from panacea.crypto.did import ES256K_2019, deactivation_data, did_for_key, key_document, sign_bytes, verify_ownership
from panacea.crypto.keys import PrivateKey
from panacea.types.pb.panacea.did.v2 import did_pb2, query_pb2
from tests.client.nodekit import Node, key

# did-reference §11
VECTOR_KEY = PrivateKey(hashlib.sha256(b"panacea-did-spec-vector").digest())
VECTOR_DID = "did:panacea:8ifX66eFxRKky33XoMmgWShgdGtSiQMdMiBocrabeK96"
VECTOR_DOCPB = bytes.fromhex(
    "0a1e0a1c68747470733a2f2f7777772e77332e6f72672f6e732f6469642f763112386469643a70616e616365613a386966583636654678"
    "524b6b793333586f4d6d67575368676447745369514d644d69426f63726162654b393622ca010a3d6469643a70616e616365613a38696658"
    "3636654678524b6b793333586f4d6d67575368676447745369514d644d69426f63726162654b3936236b65793112214563647361536563"
    "703235366b31566572696669636174696f6e4b6579323031391a386469643a70616e616365613a386966583636654678524b6b79333358"
    "6f4d6d67575368676447745369514d644d69426f63726162654b3936222c70514e7568564e6467484250375365414150376b597a315171"
    "59786b38367a364c627742776e5245324e72442a3f0a3d6469643a70616e616365613a386966583636654678524b6b793333586f4d6d67"
    "575368676447745369514d644d69426f63726162654b3936236b657931")
VECTOR_SIG = bytes.fromhex(
    "7db6287d02096ed2695a51dd5e3744da75c3e9ad91fe07c952cf4c03f8f0a9ce272242317cac7db20fd201ecf04fc654d2856091bf746d"
    "aa82344456a59eb7ce")
FROM = "panacea154p6kyu9kqgvcmq63w3vpn893ssy6anpu8ykfq"


def other_key(label: str) -> PrivateKey:
    return PrivateKey(hashlib.sha256(f"client-did/{label}".encode()).digest())


def pub(key: PrivateKey) -> bytes:
    return key.public_key().compressed


def test_did_query_path_and_base64_request() -> None:
    q = did_queries.did(VECTOR_DID)
    assert q.path == "/panacea.did.v2.Query/DID"
    assert q.request == query_pb2.QueryDIDRequest(
        did_base64="ZGlkOnBhbmFjZWE6OGlmWDY2ZUZ4UktreTMzWG9NbWdXU2hnZEd0U2lRTWRNaUJvY3JhYmVLOTY=")
    assert q.response_cls is query_pb2.QueryDIDResponse
    stored = did_pb2.DIDDocumentWithSeq(document=key_document(pub(VECTOR_KEY)), sequence=3)
    assert q.extract(query_pb2.QueryDIDResponse(did_document_with_seq=stored)) == stored


def test_create_msg_is_the_known_answer_vector() -> None:
    msg = create_did_msg(VECTOR_KEY, FROM)
    assert (msg.did, msg.verification_method_id, msg.from_address) == (VECTOR_DID, VECTOR_DID + "#key1", FROM)
    assert msg.document == key_document(pub(VECTOR_KEY))
    assert document_bytes(msg.document) == VECTOR_DOCPB
    assert sign_bytes(VECTOR_DOCPB, 0) == bytes.fromhex("0ae802") + VECTOR_DOCPB
    assert msg.signature == VECTOR_SIG
    assert verify_ownership(pub(VECTOR_KEY), VECTOR_DOCPB, 0, msg.signature)
    assert not verify_ownership(pub(VECTOR_KEY), VECTOR_DOCPB, 1, msg.signature)


def test_create_msg_of_a_given_document_finds_the_signing_method() -> None:
    key, other = other_key("a"), other_key("b")
    doc = key_document(pub(other))  # #key1 is another key's; #key2 (embedded) is ours
    embedded = did_pb2.VerificationMethod(id=doc.id + "#key2", type=ES256K_2019, controller=doc.id,
                                          public_key_base58=base58.b58encode(pub(key)).decode())
    doc.authentications.add(verification_method=embedded)
    msg = create_did_msg(key, FROM, doc)
    assert (msg.did, msg.verification_method_id) == (doc.id, doc.id + "#key2")
    assert verify_ownership(pub(key), document_bytes(doc), 0, msg.signature)
    assert create_did_msg(key, FROM, doc, method_id="anything").verification_method_id == "anything"
    with pytest.raises(ValueError) as e:
        create_did_msg(other_key("c"), FROM, doc)
    assert str(e.value) == f"no authentication method of {doc.id} holds the key's public key"


def test_update_signs_the_new_document_at_the_current_sequence() -> None:
    key = other_key("owner")
    new = key_document(pub(key))
    new.verification_methods.add(id=new.id + "#key2", type=ES256K_2019, controller=new.id,
                                 public_key_base58=base58.b58encode(pub(other_key("second"))).decode())
    msg = update_did_msg(new.id, new.id + "#key1", key, new, 7, FROM)
    assert (msg.did, msg.verification_method_id, msg.from_address, msg.document) == (
        new.id, new.id + "#key1", FROM, new)
    assert verify_ownership(pub(key), document_bytes(new), 7, msg.signature)
    assert not verify_ownership(pub(key), document_bytes(new), 0, msg.signature)
    assert not verify_ownership(pub(key), document_bytes(key_document(pub(key))), 7, msg.signature)


def test_deactivate_signs_the_id_only_document_at_the_current_sequence() -> None:
    msg = deactivate_did_msg(VECTOR_DID, VECTOR_DID + "#key1", VECTOR_KEY, 1, FROM)
    assert (msg.did, msg.verification_method_id, msg.from_address) == (VECTOR_DID, VECTOR_DID + "#key1", FROM)
    assert sign_bytes(deactivation_data(VECTOR_DID), 1) == bytes.fromhex(
        "0a3a12386469643a70616e616365613a386966583636654678524b6b793333586f4d6d67575368676447745369514d644d69426f63"
        "726162654b39361001")
    assert verify_ownership(pub(VECTOR_KEY), deactivation_data(VECTOR_DID), 1, msg.signature)
    assert not verify_ownership(pub(VECTOR_KEY), VECTOR_DOCPB, 1, msg.signature)


def test_authentication_method_is_the_chains_lookup() -> None:
    key = other_key("lookup")
    doc = key_document(pub(key))
    did = doc.id
    first = doc.verification_methods[0]
    # a second method with the same id (the reference's own fixtures do this): the first one wins
    doc.verification_methods.add(id=did + "#key1", type="Bls12381G2Key2020", controller=did,
                                 public_key_base58=base58.b58encode(b"dummy BBS+ pub key").decode())
    assert authentication_method(doc, did + "#key1") == first
    assert authentication_method(doc, did + "#key2") is None
    doc.verification_methods.add(id=did + "#key3", type=ES256K_2019, controller=did, public_key_base58="x")
    assert authentication_method(doc, did + "#key3") is None  # a method, but not an authentication one
    embedded = did_pb2.VerificationMethod(id=did + "#key4", type=ES256K_2019, controller=did, public_key_base58="z")
    doc.authentications.add(verification_method=embedded)
    assert authentication_method(doc, did + "#key4") == embedded
    doc.authentications.add(verification_method_id=did + "#key5")  # a reference to no method
    assert authentication_method(doc, did + "#key5") is None
    del doc.authentications[:]
    assert authentication_method(doc, did + "#key1") is None


def test_method_public_key_decodes_base58_and_is_empty_otherwise() -> None:
    key = other_key("b58")
    assert method_public_key(key_document(pub(key)).verification_methods[0]) == pub(key)
    assert method_public_key(did_pb2.VerificationMethod(public_key_base58="0OIl")) == b""
    assert did_for_key(pub(VECTOR_KEY)) == VECTOR_DID


# --- against a real node (the module's own, tests/client/conftest.py) -----------------------------------------------
def send_did_msg(client: ChainClient, msg: Message) -> None:
    resp = client.wallet(key("alice")).send([msg])
    assert (resp.code, resp.raw_log.startswith("[")) == (0, True), resp.raw_log


def test_did_query_through_both_clients(client: ChainClient, node: Node) -> None:
    owner, second = other_key("node-owner"), other_key("node-second")
    did = did_for_key(pub(owner))
    with pytest.raises(NotFoundError) as e:
        client.did(did)
    assert (e.value.log, e.value.codespace) == ("DID not found: key not found", "sdk")
    send_did_msg(client, create_did_msg(owner, key("alice").bech32()))
    stored = client.did(did)
    assert stored == did_pb2.DIDDocumentWithSeq(document=key_document(pub(owner)), sequence=0)

    new = key_document(pub(owner))
    new.verification_methods.add(id=did + "#key2", type=ES256K_2019, controller=did,
                                 public_key_base58=base58.b58encode(pub(second)).decode())
    new.authentications.add(verification_method_id=did + "#key2")
    send_did_msg(client, update_did_msg(did, did + "#key1", owner, new, stored.sequence, key("alice").bech32()))
    assert client.did(did) == did_pb2.DIDDocumentWithSeq(document=new, sequence=1)

    async def read() -> did_pb2.DIDDocumentWithSeq:
        async with AsyncChainClient(node.rpc) as aclient:
            return await aclient.did(did)

    assert asyncio.run(read()) == did_pb2.DIDDocumentWithSeq(document=new, sequence=1)

    send_did_msg(client, deactivate_did_msg(did, did + "#key2", second, 1, key("alice").bech32()))
    with pytest.raises(NotFoundError) as e:
        client.did(did)
    assert e.value.log == "DID deactivated: key not found"

    async def deactivated() -> str:
        async with AsyncChainClient(node.rpc) as aclient:
            try:
                await aclient.did(did)
            except NotFoundError as err:
                return err.log
        return "found"

    assert asyncio.run(deactivated()) == "DID deactivated: key not found"


def test_a_stale_sequence_or_a_foreign_key_is_refused_by_the_chain(client: ChainClient) -> None:
    owner = other_key("node-stale")
    did = did_for_key(pub(owner))
    send_did_msg(client, create_did_msg(owner, key("alice").bech32()))
    doc = key_document(pub(owner))
    doc.services.add(id=did + "#s", type="LinkedDomains", service_endpoint="https://example.org")
    with pytest.raises(SimulationError) as e:  # signed by a key that is not in the document
        client.wallet(key("alice")).send([update_did_msg(did, did + "#key1", other_key("x"), doc, 0,
                                                         key("alice").bech32())])
    assert e.value.log == "failed to execute message; message index: 0: DID signature verification was failed"
    with pytest.raises(SimulationError) as e:  # signed at a sequence that is not the stored one
        client.wallet(key("alice")).send([update_did_msg(did, did + "#key1", owner, doc, 1, key("alice").bech32())])
    assert e.value.log == "failed to execute message; message index: 0: DID signature verification was failed"
    assert client.did(did).sequence == 0
