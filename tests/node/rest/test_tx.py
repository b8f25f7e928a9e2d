"""Tx service and tendermint endpoints of the REST API against a real embedded node."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

from google.protobuf import json_format

from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.base.abci.v1beta1 import abci_pb2
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.cosmos.tx.v1beta1 import tx_pb2
from panacea.types.protojson import from_json
from tests.node.kit import CAROL, CHAIN_ID, DAVE, FRESH, GAS_PRICE, RestNode, create_deal

RFC3339_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def send_msg(amount: int = 777) -> bank_tx.MsgSend:
    return bank_tx.MsgSend(from_address=DAVE.bech32(), to_address=FRESH.bech32(),
                           amount=[coin_pb2.Coin(denom="umed", amount=str(amount))])


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def error(r: Any, status: int, code: int, message: str) -> None:
    assert (r.status_code, r.json()) == (status, {"code": code, "message": message, "details": []})


# --- simulate ------------------------------------------------------------------------------------------------
def test_simulate_tx_bytes_and_protojson_agree(node: RestNode) -> None:
    raw = node.sign(DAVE, send_msg(), gas=200_000)
    by_bytes = node.http.post("/cosmos/tx/v1beta1/simulate", json={"tx_bytes": b64(raw)})
    assert by_bytes.status_code == 200, by_bytes.text
    doc = by_bytes.json()
    assert set(doc) == {"gas_info", "result"} and set(doc["result"]) == {"data", "log", "events"}
    assert doc["gas_info"]["gas_wanted"] == "200000"
    assert int(doc["gas_info"]["gas_used"]) > 10_000
    msg_data = abci_pb2.TxMsgData.FromString(base64.b64decode(doc["result"]["data"]))
    assert [d.msg_type for d in msg_data.data] == ["send"]
    assert json.loads(doc["result"]["log"])[0]["msg_index"] == 0
    tx = tx_pb2.Tx.FromString(raw)
    for body in ({"tx": json_format.MessageToDict(tx)},  # camelCase, as cosmpy sends it
                 {"tx": json_format.MessageToDict(tx, preserving_proto_field_name=True)}):
        r = node.http.post("/cosmos/tx/v1beta1/simulate", json=body)
        assert r.status_code == 200, r.text
        assert r.json() == doc


def test_simulate_like_cosmpy_gas_zero_no_fee(node: RestNode) -> None:
    """cosmpy simulates the signed tx with gas 0, an empty fee and the sequence omitted when 0."""
    tx = tx_pb2.Tx.FromString(node.sign(CAROL, create_deal(9), gas=0, fee=0))
    body = {"tx": json_format.MessageToDict(tx)}
    assert body["tx"]["authInfo"]["fee"] == {}
    r = node.http.post("/cosmos/tx/v1beta1/simulate", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["gas_info"]["gas_wanted"] == "0"
    assert int(r.json()["gas_info"]["gas_used"]) > 10_000


def test_simulate_errors(node: RestNode) -> None:
    _, sequence = node.account(DAVE)
    raw = node.sign(DAVE, send_msg(), sequence_offset=5)
    r = node.http.post("/cosmos/tx/v1beta1/simulate", json={"tx_bytes": b64(raw)})
    error(r, 500, 2, f"account sequence mismatch, expected {sequence}, got {sequence + 5}: incorrect account sequence")
    error(node.http.post("/cosmos/tx/v1beta1/simulate", json={}), 400, 3, "empty txBytes is not allowed")
    r = node.http.post("/cosmos/tx/v1beta1/simulate", content=b"{not json")
    assert r.status_code == 400 and r.json()["code"] == 3 and r.json()["message"].startswith("invalid JSON body")
    r = node.http.post("/cosmos/tx/v1beta1/simulate",
                       json={"tx": {"body": {"messages": [{"@type": "/no.such.Msg"}]}}})
    assert r.status_code == 400 and r.json()["code"] == 3 and "no.such.Msg" in r.json()["message"]


# --- broadcast + lookup --------------------------------------------------------------------------------------
def test_broadcast_sync_then_get_tx(node: RestNode) -> None:
    raw = node.sign(DAVE, send_msg(), gas=150_000)
    txhash = hashlib.sha256(raw).hexdigest().upper()
    assert node.http.post("/cosmos/tx/v1beta1/txs", json={"txBytes": b64(raw), "mode": "BROADCAST_MODE_SYNC"}
                          ).json() == {"tx_response": {
        "height": "0", "txhash": txhash, "codespace": "", "code": 0, "data": "", "raw_log": "", "logs": [],
        "info": "", "gas_wanted": "0", "gas_used": "0", "tx": None, "timestamp": "", "events": []}}
    doc = node.wait_tx(txhash)
    assert set(doc) == {"tx", "tx_response"}
    resp = doc["tx_response"]
    assert list(resp) == ["height", "txhash", "codespace", "code", "data", "raw_log", "logs", "info", "gas_wanted",
                          "gas_used", "tx", "timestamp", "events"]
    assert (resp["txhash"], resp["code"], resp["codespace"], resp["info"], resp["gas_wanted"]) == (
        txhash, 0, "", "", "150000")
    assert 10_000 < int(resp["gas_used"]) < 150_000
    assert RFC3339_SECONDS.match(resp["timestamp"]), resp["timestamp"]
    msg_data = abci_pb2.TxMsgData.FromString(bytes.fromhex(resp["data"]))
    assert resp["data"] == resp["data"].upper() and [d.msg_type for d in msg_data.data] == ["send"]
    assert resp["logs"] == json.loads(resp["raw_log"])
    assert resp["logs"][0]["msg_index"] == 0
    message_attributes = [a for e in resp["events"] if e["type"] == "message" for a in e["attributes"]]
    assert {"key": "action", "value": "send", "index": True} in message_attributes
    # the Tx JSON: both copies, @type on messages, re-encoding reproduces the broadcast bytes
    assert resp["tx"]["@type"] == "/cosmos.tx.v1beta1.Tx"
    assert {k: v for k, v in resp["tx"].items() if k != "@type"} == doc["tx"]
    assert doc["tx"]["body"] == {
        "messages": [{"@type": "/cosmos.bank.v1beta1.MsgSend", "from_address": DAVE.bech32(),
                      "to_address": FRESH.bech32(), "amount": [{"denom": "umed", "amount": "777"}]}],
        "memo": "", "timeout_height": "0", "extension_options": [], "non_critical_extension_options": []}
    assert doc["tx"]["auth_info"]["fee"] == {"amount": [{"denom": "umed", "amount": str(150_000 * GAS_PRICE)}],
                                             "gas_limit": "150000", "payer": "", "granter": ""}
    signer = doc["tx"]["auth_info"]["signer_infos"][0]
    assert signer["public_key"] == {"@type": "/cosmos.crypto.secp256k1.PubKey", "key": DAVE.public_key().to_base64()}
    assert signer["mode_info"] == {"single": {"mode": "SIGN_MODE_DIRECT"}}
    assert from_json(doc["tx"], tx_pb2.Tx).SerializeToString() == raw
    # the block holds the tx, and its time is the timestamp (seconds precision)
    block = node.ok(f"/cosmos/base/tendermint/v1beta1/blocks/{resp['height']}")["block"]
    assert b64(raw) in block["data"]["txs"]
    assert block["header"]["time"][:19] + "Z" == resp["timestamp"]


def test_broadcast_block_and_async_modes(node: RestNode) -> None:
    raw = node.sign(DAVE, send_msg(1), gas=150_000)
    r = node.http.post("/cosmos/tx/v1beta1/txs", json={"tx_bytes": b64(raw), "mode": "BROADCAST_MODE_BLOCK"})
    resp = r.json()["tx_response"]
    assert (resp["code"], resp["gas_wanted"], resp["txhash"]) == (0, "150000", hashlib.sha256(raw).hexdigest().upper())
    assert int(resp["height"]) > 0 and int(resp["gas_used"]) > 0 and resp["logs"][0]["msg_index"] == 0
    assert any(e["type"] == "transfer" for e in resp["events"])
    assert node.wait_tx(resp["txhash"])["tx_response"]["height"] == resp["height"]
    raw = node.sign(DAVE, send_msg(2), gas=150_000)
    r = node.http.post("/cosmos/tx/v1beta1/txs", json={"tx_bytes": b64(raw), "mode": "BROADCAST_MODE_ASYNC"})
    resp = r.json()["tx_response"]
    assert (resp["code"], resp["height"], resp["txhash"]) == (0, "0", hashlib.sha256(raw).hexdigest().upper())
    assert node.wait_tx(resp["txhash"])["tx_response"]["code"] == 0


def test_broadcast_rejections_are_http_200(node: RestNode) -> None:
    _, sequence = node.account(DAVE)
    resp = node.broadcast(node.sign(DAVE, send_msg(), sequence_offset=7))
    assert (resp["code"], resp["codespace"], resp["raw_log"], resp["logs"]) == (
        32, "sdk", f"account sequence mismatch, expected {sequence}, got {sequence + 7}: incorrect account sequence",
        [])
    resp = node.broadcast(node.sign(DAVE, send_msg(), gas=100_000, fee=1))
    assert (resp["code"], resp["raw_log"]) == (
        13, f"insufficient fees; got: 1umed required: {100_000 * GAS_PRICE}umed: insufficient fee")
    resp = node.broadcast(b"\x0a\x02zz")
    assert resp["code"] == 2 and resp["codespace"] == "sdk"
    raw = node.sign(DAVE, send_msg(3))
    assert node.broadcast(raw)["code"] == 0
    dup = node.broadcast(raw)
    assert (dup["code"], dup["codespace"], dup["txhash"]) == (19, "sdk", hashlib.sha256(raw).hexdigest().upper())
    node.wait_tx(dup["txhash"])


def test_broadcast_request_errors(node: RestNode) -> None:
    error(node.http.post("/cosmos/tx/v1beta1/txs", json={"mode": "BROADCAST_MODE_SYNC"}), 400, 3, "invalid empty tx")
    error(node.http.post("/cosmos/tx/v1beta1/txs", json={"tx_bytes": b64(b"x")}), 400, 3,
          "unsupported broadcast mode; supported types: sync, async, block")
    r = node.http.post("/cosmos/tx/v1beta1/txs", json={"tx_bytes": b64(b"x"), "mode": "FAST"})
    assert r.status_code == 400 and r.json()["code"] == 3


def test_get_tx_errors(node: RestNode) -> None:
    unknown = "AB" * 32
    error(node.get(f"/cosmos/tx/v1beta1/txs/{unknown}"), 404, 5, f"tx not found: {unknown}")
    error(node.get("/cosmos/tx/v1beta1/txs/xyz"), 400, 3, "invalid tx hash 'xyz': not hex")


# --- search --------------------------------------------------------------------------------------------------
def test_search_txs_by_events(node: RestNode, world: dict[str, Any]) -> None:
    hashes = [world[f"deal{i}"]["tx_response"]["txhash"] for i in (1, 2, 3)]
    doc = node.ok("/cosmos/tx/v1beta1/txs", events="message.action='CreateDeal'")
    assert [r["txhash"] for r in doc["tx_responses"]] == hashes
    assert doc["pagination"] == {"next_key": None, "total": "3"}
    assert doc["txs"][0] == world["deal1"]["tx"] and doc["tx_responses"][0] == world["deal1"]["tx_response"]
    r = node.http.get("/cosmos/tx/v1beta1/txs", params=[("events", "message.action=CreateDeal"),
                                                         ("events", f"coin_spent.spender={CAROL.bech32()}"),
                                                         ("order_by", "ORDER_BY_DESC"), ("pagination.limit", "2")])
    assert [t["txhash"] for t in r.json()["tx_responses"]] == hashes[::-1][:2]
    assert r.json()["pagination"]["total"] == "3"
    r = node.http.get("/cosmos/tx/v1beta1/txs", params=[("events", "message.action=CreateDeal"),
                                                         ("pagination.limit", "2"), ("pagination.offset", "2")])
    assert [t["txhash"] for t in r.json()["tx_responses"]] == hashes[2:]
    height = world["deal2"]["tx_response"]["height"]
    r = node.get("/cosmos/tx/v1beta1/txs", events=f"tx.height={height}")
    assert [t["txhash"] for t in r.json()["tx_responses"]] == [hashes[1]]


def test_search_txs_errors(node: RestNode) -> None:
    error(node.get("/cosmos/tx/v1beta1/txs"), 400, 3, "must declare at least one event to search")
    error(node.get("/cosmos/tx/v1beta1/txs", events="message.action"), 400, 3,
          "invalid event; event message.action should be of the format: {eventType}.{eventAttribute}={value}")


# --- tendermint service --------------------------------------------------------------------------------------
def test_blocks(node: RestNode) -> None:
    node.wait_height(2)  # a fresh session node may not have made its second block yet
    latest = node.ok("/cosmos/base/tendermint/v1beta1/blocks/latest")
    assert set(latest) == {"block_id", "block"}
    assert set(latest["block"]) == {"header", "data", "evidence", "last_commit"}
    header = latest["block"]["header"]
    assert list(header) == ["version", "chain_id", "height", "time", "last_block_id", "last_commit_hash", "data_hash",
                            "validators_hash", "next_validators_hash", "consensus_hash", "app_hash",
                            "last_results_hash", "evidence_hash", "proposer_address"]
    assert header["chain_id"] == CHAIN_ID and header["version"] == {"block": "11", "app": "1"}
    assert len(base64.b64decode(header["app_hash"])) == 32 and len(base64.b64decode(header["proposer_address"])) == 20
    assert latest["block"]["evidence"] == {"evidence": []}
    h = int(header["height"])
    first = node.ok("/cosmos/base/tendermint/v1beta1/blocks/1")["block"]
    assert first["header"]["height"] == "1" and first["last_commit"]["signatures"] == []
    assert first["header"]["last_block_id"] == {"hash": None, "part_set_header": {"total": 0, "hash": None}}
    second = node.ok("/cosmos/base/tendermint/v1beta1/blocks/2")["block"]
    assert second["last_commit"]["height"] == "1"
    [sig] = second["last_commit"]["signatures"]
    assert sig["block_id_flag"] == "BLOCK_ID_FLAG_COMMIT" and len(base64.b64decode(sig["signature"])) == 64
    assert second["last_commit"]["block_id"] == second["header"]["last_block_id"]
    error(node.get(f"/cosmos/base/tendermint/v1beta1/blocks/{h + 1000}"), 400, 3,
          "requested block height is bigger then the chain length")
    error(node.get("/cosmos/base/tendermint/v1beta1/blocks/x"), 400, 3,
          'type mismatch, parameter: height, error: strconv.ParseInt: parsing "x": invalid syntax')


def test_node_info_and_syncing(node: RestNode) -> None:
    info = node.ok("/cosmos/base/tendermint/v1beta1/node_info")
    assert info["default_node_info"]["network"] == CHAIN_ID
    assert info["default_node_info"]["protocol_version"] == {"p2p": "8", "block": "11", "app": "1"}
    assert info["application_version"]["name"] == "panacea"
    assert info["application_version"]["cosmos_sdk_version"] == "v0.45.12"
    assert node.ok("/cosmos/base/tendermint/v1beta1/syncing") == {"syncing": False}


def test_hostile_json_and_height_are_400_never_500(node: RestNode) -> None:
    deep = b'{"tx_bytes":"AA==","mode":' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    for path in ("/cosmos/tx/v1beta1/txs", "/cosmos/tx/v1beta1/simulate"):
        error(node.http.post(path, content=deep), 400, 3, "invalid JSON body: JSON nested deeper than 100 levels")
    r = node.http.get("/cosmos/bank/v1beta1/params", headers={"x-cosmos-block-height": "1" * 5000})
    error(r, 400, 3, "invalid height: " + "1" * 19 + "…")
    error(node.http.get("/cosmos/bank/v1beta1/params", headers={"x-cosmos-block-height": "9" * 19}), 400, 3,
          "invalid height: " + "9" * 19)
    assert node.get("/cosmos/bank/v1beta1/params").status_code == 200


def test_bad_input_is_400_with_messages_about_the_input(node: RestNode) -> None:
    """Issue 10: 400s where the SDK answers 400, and no Python internals in the texts."""
    for height in ("-1", "0"):
        error(node.get(f"/cosmos/base/tendermint/v1beta1/blocks/{height}"), 400, 3,
              f"height must be greater than 0, but got {height}")
    error(node.get("/cosmos/bank/v1beta1/supply", **{"pagination.key": "!!not base64"}), 400, 3,
          "illegal base64 data at input byte 0")
    assert node.get("/cosmos/bank/v1beta1/supply", **{"pagination.key": "-_8"}).status_code == 200  # URL-safe
    error(node.get("/cosmos/tx/v1beta1/txs", events="a.b=c", order_by="9" * 5000), 400, 3, "9" * 40 + "… is not valid")
    for path in ("/cosmos/tx/v1beta1/simulate", "/cosmos/tx/v1beta1/txs"):
        error(node.http.post(path, content=b"\xff\xfe"), 400, 3, "invalid JSON body: not UTF-8 (byte 0)")
    cases = [(b'{"tx":5}', "invalid tx: expected a JSON object"),
             (b'{"tx":{"body":{"messages":[5]}}}', "invalid tx.body.messages: expected a JSON array"),
             (b'{"tx_bytes":5}', "invalid tx_bytes: expected a JSON scalar"),
             (b'{"tx":{"auth_info":{"fee":{"gas_limit":"-5"}}}}',
              "invalid tx.auth_info.fee.gas_limit: Value out of range: -5")]
    for body, message in cases:
        error(node.http.post("/cosmos/tx/v1beta1/simulate", content=body), 400, 3, message)
    error(node.http.post("/cosmos/tx/v1beta1/txs", content=b'{"tx_bytes":"AA==","mode":1e400}'), 400, 3,
          "invalid BroadcastTxRequest JSON")
    error(node.get("/panacea/oracle/v2/oracle-registrations/u/x"), 400, 3,
          "decoding bech32 failed: invalid bech32 string length 1: error while getting a oracle registration")
