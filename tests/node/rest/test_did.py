"""x/did through a real embedded node: txs sent with the client's wallet, then the REST route (JSON A, §11) and
the ABCI query (did-reference §6)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from panacea.client import ChainClient
from panacea.crypto import did as did_crypto
from panacea.crypto.keys import PrivateKey
from panacea.types import did_json
from panacea.types.pb.panacea.did.v2 import did_pb2, query_pb2, tx_pb2
from tests.chain.modules.did.vectors import JSON_A, VECTOR_DID, VECTOR_KEY
from tests.node.kit import GAS_PRICE, RestNode, init_home, key

DID_PATH = "/panacea.did.v2.Query/DID"
ALICE, BOB = key("did-payer-1"), key("did-payer-2")  # this module's own funded accounts on its own node


def b64(did: str) -> str:
    return base64.b64encode(did.encode()).decode()


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RestNode]:
    n = RestNode(init_home(Path(tmp_path_factory.mktemp("did")) / "home", extra_funded=[ALICE, BOB])).start()
    yield n
    n.stop()


@pytest.fixture(scope="module")
def client(node: RestNode) -> Iterator[ChainClient]:
    with ChainClient(node.rpc_url) as c:
        yield c


HEIGHTS: list[int] = []


def send(client: ChainClient, msg: object) -> tuple[int, str]:
    resp = client.wallet(ALICE).send([msg], gas=300_000, gas_price=f"{GAS_PRICE}umed")  # type: ignore[list-item]
    HEIGHTS.append(resp.height)
    return resp.code, resp.raw_log


def abci(client: ChainClient, did: str) -> query_pb2.QueryDIDResponse:
    return client.query(DID_PATH, query_pb2.QueryDIDRequest(did_base64=b64(did)), query_pb2.QueryDIDResponse)


def create(did_key: PrivateKey) -> tx_pb2.MsgCreateDID:
    doc = did_crypto.key_document(did_key.public_key())
    return tx_pb2.MsgCreateDID(did=doc.id, document=doc, verification_method_id=f"{doc.id}#key1",
                               signature=did_crypto.sign_ownership(did_key, doc.SerializeToString(), 0),
                               from_address=ALICE.bech32())


def test_create_update_deactivate_and_query(node: RestNode, client: ChainClient) -> None:
    assert send(client, create(VECTOR_KEY)) == (0, send_log_of_create())
    r = node.get(f"/panacea/did/v2/dids/{b64(VECTOR_DID)}")
    assert (r.status_code, r.text) == (200, JSON_A)  # §11, byte for byte
    stored = abci(client, VECTOR_DID).did_document_with_seq
    assert stored.sequence == 0 and stored.document == did_crypto.key_document(VECTOR_KEY.public_key())

    # update: add a key, signed by #key1 at the queried sequence 0
    new = did_pb2.DIDDocument()
    new.CopyFrom(stored.document)
    second = key("did-second-key")
    new.verification_methods.append(did_crypto.key_document(second.public_key()).verification_methods[0])
    new.verification_methods[1].id = f"{VECTOR_DID}#key2"
    new.verification_methods[1].controller = VECTOR_DID
    update = tx_pb2.MsgUpdateDID(did=VECTOR_DID, document=new, verification_method_id=f"{VECTOR_DID}#key1",
                                 signature=did_crypto.sign_ownership(VECTOR_KEY, new.SerializeToString(), 0),
                                 from_address=ALICE.bech32())
    assert send(client, update)[0] == 0
    record = node.ok(f"/panacea/did/v2/dids/{b64(VECTOR_DID)}")["did_document_with_seq"]
    assert record["sequence"] == "1"
    assert record["document"] == did_json.document_to_json(new)
    assert abci(client, VECTOR_DID).did_document_with_seq == did_pb2.DIDDocumentWithSeq(document=new, sequence=1)

    # the replayed update fails in the block with the reference's error
    code, log = send(client, update)
    assert (code, log) == (9, "failed to execute message; message index: 0: DID signature verification was failed")

    deactivate = tx_pb2.MsgDeactivateDID(
        did=VECTOR_DID, verification_method_id=f"{VECTOR_DID}#key1", from_address=BOB.bech32(),
        signature=did_crypto.sign_ownership(VECTOR_KEY, did_crypto.deactivation_data(VECTOR_DID), 1))
    resp = client.wallet(BOB).send([deactivate], gas_price=f"{GAS_PRICE}umed")
    assert resp.code == 0
    assert [(e.type, e.attributes) for e in resp.events if e.type == "message"][-1:] == [
        ("message", (("action", "deactivate_did"),))]
    r = node.get(f"/panacea/did/v2/dids/{b64(VECTOR_DID)}")
    assert (r.status_code, r.json()) == (404, {"code": 5, "message": "DID deactivated", "details": []})
    before = node.http.get(f"/panacea/did/v2/dids/{b64(VECTOR_DID)}",
                           headers={"x-cosmos-block-height": str(HEIGHTS[1])})
    assert before.json()["did_document_with_seq"]["sequence"] == "1"  # the state at the update's height
    stored_raw = node_abci(node, "/store/did/key", b"\x00" + VECTOR_DID.encode())["value"]
    assert base64.b64decode(str(stored_raw)) == bytes.fromhex("040a001002")  # the tombstone (seq 2) stays
    # a deactivated DID can never be created again
    code, log = send(client, create(VECTOR_KEY))
    assert code == 13 and log.endswith(f"DID: {VECTOR_DID}: DID was already deactivated")


def send_log_of_create() -> str:
    """A successful DID tx's log: baseapp's ``message.action`` only (the module emits no events)."""
    return json.dumps([{"msg_index": 0, "log": "", "events": [
        {"type": "message", "attributes": [{"key": "action", "value": "create_did"}]}]}], separators=(",", ":"))


def test_rest_errors(node: RestNode) -> None:
    other = did_crypto.did_for_key(key("never-created").public_key())
    r = node.get(f"/panacea/did/v2/dids/{b64(other)}")
    assert (r.status_code, r.json()) == (404, {"code": 5, "message": "DID not found", "details": []})
    r = node.get("/panacea/did/v2/dids/not-base64")
    assert (r.status_code, r.json()) == (400, {"code": 3, "message": "invalid did_base64", "details": []})


def test_abci_errors(node: RestNode) -> None:
    other = did_crypto.did_for_key(key("never-created-2").public_key())
    resp = node_abci(node, DID_PATH, query_pb2.QueryDIDRequest(did_base64=b64(other)).SerializeToString())
    assert (resp["code"], resp["codespace"], resp["log"]) == (
        22, "sdk", "rpc error: code = NotFound desc = DID not found: key not found")


def node_abci(node: RestNode, path: str, data: bytes) -> dict[str, object]:
    body = httpx.post(node.rpc_url, json={"jsonrpc": "2.0", "id": 1, "method": "abci_query",
                                          "params": {"path": path, "data": data.hex()}}).json()
    return body["result"]["response"]  # type: ignore[no-any-return]


def test_a_did_tx_reads_back_over_rest(node: RestNode, client: ChainClient) -> None:
    k = key("did-tx-readback")
    resp = client.wallet(ALICE).send([create(k)], gas=300_000, gas_price=f"{GAS_PRICE}umed")
    assert resp.code == 0
    r = node.get(f"/cosmos/tx/v1beta1/txs/{resp.tx_hash}")
    assert r.status_code == 200, r.text
    assert r.json()["tx"]["body"]["messages"][0]["@type"] == "/panacea.did.v2.MsgCreateDID"
