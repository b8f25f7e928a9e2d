"""panacea.client.dep.did: the MsgCreateDID it builds (the key's document, the ownership proof at sequence 0, the
DID query's base64 request), and, once the chain's ``did`` module is there, the DID registered on a real node
(sync and async) and read back; a second registration is the chain's refusal, an unknown DID a read error."""

from __future__ import annotations

import asyncio
import base64
import importlib.util

import base58
import pytest

from panacea.client import AsyncChainClient
from panacea.client.dep.did import create_did, create_did_async, create_msg, did_document, did_query, document_for
from panacea.client.dep.errors import DepError, TxError
from panacea.client.sync import ChainClient
from panacea.crypto.did import did_for_key, key_document, verify_ownership
from panacea.types.pb.panacea.did.v2 import query_pb2
from tests.client import nodekit
from tests.client.nodekit import Node

ALICE, BOB, ERIN = nodekit.key("alice"), nodekit.key("bob"), nodekit.key("erin")
HAS_DID_MODULE = importlib.util.find_spec("panacea.chain.modules.did") is not None
needs_module = pytest.mark.skipif(not HAS_DID_MODULE, reason="the chain's did module is not on this branch yet")


def test_the_document_is_the_key_document_with_assertion_method() -> None:
    did = did_for_key(ALICE.public_key())
    document = document_for(ALICE)
    assert document.id == did
    assert list(document.contexts.values) == ["https://www.w3.org/ns/did/v1"]
    (method,) = document.verification_methods
    assert (method.id, method.type, method.controller) == (f"{did}#key1", "EcdsaSecp256k1VerificationKey2019", did)
    assert base58.b58decode(method.public_key_base58) == ALICE.public_key().compressed
    assert [r.verification_method_id for r in document.authentications] == [f"{did}#key1"]
    assert [r.verification_method_id for r in document.assertion_methods] == [f"{did}#key1"]
    assert document_for(ALICE, assertion_method=False) == key_document(ALICE.public_key())


def test_the_msg_proves_ownership_at_sequence_zero() -> None:
    msg = create_msg(ALICE, BOB.bech32())
    did = did_for_key(ALICE.public_key())
    assert (msg.did, msg.verification_method_id, msg.from_address) == (did, f"{did}#key1", BOB.bech32())
    data = msg.document.SerializeToString(deterministic=True)
    assert len(msg.signature) == 64
    assert verify_ownership(ALICE.public_key().compressed, data, 0, msg.signature)
    assert not verify_ownership(ALICE.public_key().compressed, data, 1, msg.signature)
    assert not verify_ownership(BOB.public_key().compressed, data, 0, msg.signature)


def test_the_query_sends_the_did_base64() -> None:
    did = did_for_key(ALICE.public_key())
    q = did_query(did)
    assert q.path == "/panacea.did.v2.Query/DID"
    assert q.request == query_pb2.QueryDIDRequest(did_base64=base64.b64encode(did.encode()).decode())


@needs_module
def test_create_and_read_a_did(node: Node, client: ChainClient) -> None:
    did = create_did(client.wallet(ALICE), ALICE)
    assert did == did_for_key(ALICE.public_key())
    found = did_document(client, did)
    assert found.sequence == 0
    assert found.document == document_for(ALICE)
    with pytest.raises(TxError) as e:
        create_did(client.wallet(ALICE), ALICE)
    assert str(e.value) == f"create DID: failed to execute message; message index: 0: DID: {did}: DID already exists"
    unknown = did_for_key(ERIN.public_key())
    with pytest.raises(DepError) as read:
        did_document(client, unknown)
    assert str(read.value) == f"read DID: {unknown}: DID not found: key not found"


@needs_module
def test_create_async_from_another_account(node: Node) -> None:
    async def go() -> str:
        async with AsyncChainClient(node.rpc) as chain:
            return await create_did_async(chain.wallet(ALICE), BOB, assertion_method=False)

    did = asyncio.run(go())
    with node.client() as client:
        found = did_document(client, did)
    assert did == did_for_key(BOB.public_key())
    assert found.document == key_document(BOB.public_key())
