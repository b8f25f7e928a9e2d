"""The embedded engine behind its CometBFT JSON-RPC: a real node on loopback, real LMDB, real txs."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import hashlib
import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from google.protobuf import any_pb2
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from panacea.chain.modules.bank.keys import balance_key
from panacea.client.tx import Signer, build_tx
from panacea.crypto.merkle import Proof, verify_proof
from panacea.node.rpc.api import RpcError
from panacea.node.rpc.handlers import LocalRpc
from panacea.node.start.embedded import serve_embedded
from panacea.types.cometbft.encoding import txs_hash
from panacea.types.cometbft.types import BlockID, Commit, PartSetHeader, results_hash, vote_sign_bytes
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.cosmos.tx.v1beta1 import tx_pb2
from panacea.types.pb.panacea.oracle.v2 import tx_pb2 as oracle_tx
from tests.node.kit import (
    CHAIN_ID,
    FUNDS,
    UNIQUE_ID,
    USERS,
    VALIDATOR,
    Node,
    free_port,
    iter_ws,
    key,
    make_home,
    send_tx,
    tx_hash_hex,
)

FEE = 2000  # minimum-gas-prices 0.01umed × 200000 gas


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    home = make_home(tmp_path_factory.mktemp("engine") / "node", minimum_gas_prices="0.01umed")
    with Node(home) as n:
        n.wait_height(1)
        yield n


def header(node: Node, height: int) -> dict[str, Any]:
    return node.call("block", height=str(height))["block"]["header"]


def commit_send(node: Node, sender_index: int, to_index: int, amount: int) -> dict[str, Any]:
    sender = USERS[sender_index]
    number, sequence = node.account(sender)
    tx = send_tx(sender, USERS[to_index], amount, number, sequence, fee=FEE)
    result = node.broadcast(tx, "commit")
    assert result["check_tx"]["gas_wanted"] == "200000"
    assert "code" not in result["tx_result"], result
    return {"tx": tx, **result}


def test_send_through_rpc(node: Node) -> None:
    number, sequence = node.account(USERS[0])
    tx = send_tx(USERS[0], USERS[1], 5, number, sequence, fee=FEE)
    sync = node.broadcast(tx)
    assert sync == {"code": 0, "data": "", "log": "", "codespace": "", "hash": tx_hash_hex(tx)}
    found = node.wait_tx(sync["hash"])
    height = int(found["height"])
    assert (found["hash"], found["index"], found["tx"]) == (tx_hash_hex(tx), 0, base64.b64encode(tx).decode())
    assert found["tx_result"]["gas_wanted"] == "200000"
    assert "code" not in found["tx_result"]
    assert {"type": "message", "attributes": [{"key": "action", "value": "send", "index": True}]} in \
        found["tx_result"]["events"]
    node.wait_height(height + 1)
    assert node.balance(USERS[0]) == FUNDS - 5 - FEE
    assert node.balance(USERS[1]) == FUNDS + 5

    # GET (URI) form of the same lookup, and the Merkle proof of inclusion in the block's data hash
    got = node.client.get(f"/tx?hash=0x{sync['hash']}&prove=true").json()["result"]
    block = node.call("block", height=str(height))
    assert got["proof"]["root_hash"] == block["block"]["header"]["data_hash"]
    assert got["proof"]["proof"]["total"] == str(len(block["block"]["data"]["txs"]))
    search = node.call("tx_search", query=f"transfer.sender='{USERS[0].bech32()}' AND tx.height<={height}")
    assert search["total_count"] == "1"
    assert search["txs"][0]["hash"] == sync["hash"]

    # the block: hashes recomputed from its contents, the validator's signature over the commit
    engine_block = node.engine.blocks.block(height)  # type: ignore[union-attr]
    assert engine_block is not None
    assert block["block"]["data"]["txs"] == [base64.b64encode(tx).decode()]
    assert block["block"]["header"]["data_hash"] == txs_hash([tx]).hex().upper()
    assert block["block_id"]["hash"] == engine_block.header.hash().hex().upper()
    commit = node.call("commit", height=str(height))
    assert commit["signed_header"]["header"] == block["block"]["header"]
    sig = commit["signed_header"]["commit"]["signatures"][0]
    assert sig["validator_address"] == VALIDATOR.address.hex().upper()
    block_id = BlockID(bytes.fromhex(block["block_id"]["hash"]),
                       PartSetHeader(block["block_id"]["parts"]["total"],
                                     bytes.fromhex(block["block_id"]["parts"]["hash"])))
    stored_commit = node.engine.blocks.seen_commit(height)  # type: ignore[union-attr]
    assert stored_commit is not None
    sign_bytes = vote_sign_bytes(CHAIN_ID, 2, height, 0, block_id, stored_commit.signatures[0].time_ns)
    Ed25519PublicKey.from_public_bytes(VALIDATOR.pub_key).verify(base64.b64decode(sig["signature"]), sign_bytes)
    nxt = header(node, height + 1)
    assert nxt["last_block_id"] == block["block_id"]
    assert nxt["last_commit_hash"] == Commit.from_proto(stored_commit.to_proto()).hash().hex().upper()

    # block_results: what FinalizeBlock returned; its app hash and results hash are in the next header
    results = node.call("block_results", height=str(height))
    assert results["height"] == str(height)
    assert results["txs_results"] == [found["tx_result"]]
    assert base64.b64decode(results["app_hash"]).hex().upper() == nxt["app_hash"]
    r = results["txs_results"][0]
    assert nxt["last_results_hash"] == results_hash(
        [(0, base64.b64decode(r["data"]), int(r["gas_wanted"]), int(r["gas_used"]))]).hex().upper()

    # a proven balance at `height`, checked against the app hash in the header of height+1
    raw_key = balance_key(USERS[1].address(), "umed")
    q = node.query("/store/bank/key", raw_key, height=height, prove=True)
    assert q["height"] == str(height)
    assert coin_pb2.Coin.FromString(base64.b64decode(q["value"])).amount == str(FUNDS + 5)
    op = q["proofOps"]["ops"][0]  # jsonpb's name, as CometBFT's
    assert (op["type"], base64.b64decode(op["key"])) == ("panacea:smt", b"bank/" + raw_key)
    proof = Proof.from_bytes(base64.b64decode(op["data"]))
    root = bytes.fromhex(nxt["app_hash"])
    assert verify_proof(root, b"bank/" + raw_key, base64.b64decode(q["value"]), proof)
    assert not verify_proof(root, b"bank/" + raw_key, coin_pb2.Coin(denom="umed", amount="1").SerializeToString(),
                            proof)


def test_bad_input_is_rejected_with_cosmos_logs(node: Node) -> None:
    sender, to = USERS[2], USERS[3]
    number, sequence = node.account(sender)
    good = send_tx(sender, to, 7, number, sequence, fee=FEE)

    def check(tx: bytes, code: int, log: str) -> None:
        result = node.broadcast(tx)
        assert (result["code"], result["codespace"], result["log"]) == (code, "sdk", log)

    check(b"\x01\x02garbage", 2, "unable to decode tx: Error parsing message with type 'cosmos.tx.v1beta1.TxRaw': "
          "Wire format was corrupt: tx parse error")
    unknown = tx_pb2.TxRaw.FromString(good)
    unknown.body_bytes = tx_pb2.TxBody(messages=[any_pb2.Any(type_url="/foo.Bar")]).SerializeToString()
    check(unknown.SerializeToString(), 2, "unable to resolve type URL /foo.Bar: tx parse error")
    unauthorized = (f"signature verification failed; please verify account number ({number}) and chain-id "
                    f"({CHAIN_ID}): unauthorized")
    check(send_tx(sender, to, 7, number, sequence, fee=FEE, chain_id="other-chain"), 4, unauthorized)
    forged = tx_pb2.TxRaw.FromString(good)
    forged.signatures[0] = bytes(64)
    check(forged.SerializeToString(), 4, unauthorized)
    check(send_tx(sender, to, 7, number, sequence, fee=1), 13,
          "insufficient fees; got: 1umed required: 2000umed: insufficient fee")
    check(send_tx(sender, to, 7, number, sequence, fee=FEE, gas=1000), 11,
          "out of gas in location: txSize; gasWanted: 1000, gasUsed: 3120: out of gas")

    committed = node.broadcast(good, "commit")
    assert "code" not in committed["tx_result"]
    dup = node.raw("broadcast_tx_sync", {"tx": base64.b64encode(good).decode()})
    assert dup["error"] == {"code": -32603, "message": "Internal error", "data": "tx already exists in cache"}
    check(send_tx(sender, to, 7, number, sequence, fee=FEE, memo="again"), 32,
          "account sequence mismatch, expected 1, got 0: incorrect account sequence")
    # passes CheckTx (ante only) but runs out of gas in the message: code 11 in the block
    oog = node.broadcast(send_tx(sender, to, 7, number, sequence + 1, fee=FEE, gas=30_000), "commit")
    assert oog["check_tx"] == {"gas_wanted": "30000", "gas_used": "24810"}
    assert oog["tx_result"]["code"] == 11
    assert oog["tx_result"]["log"] == \
        "out of gas in location: WritePerByte; gasWanted: 30000, gasUsed: 30649: out of gas"
    # the node is unaffected
    after = commit_send(node, 2, 3, 1)
    assert int(after["height"]) > int(oog["height"])
    assert node.balance(to) == FUNDS + 8


def test_jsonrpc_errors_and_forms(node: Node) -> None:
    c = node.client
    assert node.raw("no_such_method", {})["error"] == {"code": -32601, "message": "Method not found"}
    bad = node.raw("block", {"height": "abc"})["error"]
    assert (bad["code"], bad["message"]) == (-32602, "Invalid params")
    r = c.post("/", content=b"{not json")  # CometBFT answers 500; a bad body is the client's error here: 400
    assert r.status_code == 400 and r.json()["error"]["code"] == -32700
    r = c.post("/", content=b'{"jsonrpc":"2.0","id":1,"method":"\xff"}')
    assert (r.status_code, r.json()["error"]["data"]) == (
        400, "error unmarshaling request: the body is not valid UTF-8 (byte 34)")
    r = c.post("/", json={"jsonrpc": "2.0", "id": 1, "method": "tx", "params": {"hash": '""'}})
    assert r.json()["error"] == {"code": -32603, "message": "Internal error",
                                 "data": "transaction hash cannot be empty"}
    short = node.raw("tx", {"hash": "AAAA"})["error"]["data"]
    assert short == "tx (000000) not found"  # any length but 32 bytes is unknown, not a store error
    big = node.raw("block", {"height": "9" * 50})["error"]["data"]
    assert big == "error converting json params to arguments: invalid 64-bit integer encoding for height: '" + (
        "9" * 39 + "…")
    assert c.post("/", json={"jsonrpc": "2.0", "method": "health"}).content == b""  # notification
    batch = c.post("/", json=[{"jsonrpc": "2.0", "id": 1, "method": "health"},
                              {"jsonrpc": "2.0", "id": 2, "method": "abci_info", "params": {}}]).json()
    assert batch[0] == {"jsonrpc": "2.0", "id": 1, "result": {}}
    info = batch[1]["result"]["response"]
    assert (info["data"], info["version"], info["app_version"]) == ("panacea-dep", "0.1.0", "1")
    missing = "AB" * 32
    assert node.raw("tx", {"hash": base64.b64encode(bytes.fromhex(missing)).decode()})["error"]["data"] == \
        f"tx ({missing}) not found"
    height = int(node.call("status")["sync_info"]["latest_block_height"])
    too_high = node.raw("block", {"height": str(height + 1000)})["error"]["data"]
    assert too_high.startswith(f"height {height + 1000} must be less than or equal to the current blockchain height")
    assert c.get("/block?height=1").json()["result"]["block"]["header"]["height"] == "1"
    assert c.get('/abci_query?path="/store/acc/key"&data=0x00').json()["result"]["response"]["height"]
    assert node.raw("subscribe", {"query": "tm.event='Tx'"})["error"]["code"] == -32601
    vals = node.call("validators")
    assert vals["validators"] == [{"address": VALIDATOR.address.hex().upper(), "pub_key": {
        "type": "tendermint/PubKeyEd25519", "value": base64.b64encode(VALIDATOR.pub_key).decode()},
        "voting_power": "10", "proposer_priority": "0"}]
    assert (vals["count"], vals["total"]) == ("1", "1")
    assert node.call("genesis")["genesis"]["chain_id"] == CHAIN_ID
    assert node.call("num_unconfirmed_txs")["n_txs"] == "0"
    assert node.raw("tx_search", {"query": "tx.height>=1", "per_page": "100", "page": "5"})["error"]["data"] == \
        "page should be within [1, 1] range, given 5"
    everything = node.call("tx_search", query="tx.height>=1", per_page="100")
    first_two = node.call("tx_search", query="tx.height>=1", per_page="2", page="1", order_by="desc")
    assert first_two["total_count"] == everything["total_count"]
    assert first_two["txs"] == list(reversed(everything["txs"]))[:2]
    local = LocalRpc(node.engine)  # type: ignore[arg-type]
    status = node.run(local.call("status", {}))
    assert status["node_info"]["network"] == CHAIN_ID
    with pytest.raises(RpcError, match="tx \\(" + missing + "\\) not found"):
        node.run(local.call("tx", {"hash": missing}))


def _register_oracle_tx(node: Node, who: int) -> bytes:
    newcomer = USERS[who]
    number, sequence = node.account(newcomer)
    node_key = key(f"node/{who}")
    msg = oracle_tx.MsgRegisterOracle(
        unique_id=UNIQUE_ID, oracle_address=newcomer.bech32(), node_pub_key=node_key.public_key().compressed,
        node_pub_key_remote_report=b"report", trusted_block_height=1,
        trusted_block_hash=hashlib.sha256(b"block").digest(), endpoint="https://new-oracle.example",
        oracle_commission_rate=str(10**17), oracle_commission_max_rate=str(3 * 10**17),
        oracle_commission_max_change_rate=str(10**16))
    return build_tx([msg], [Signer(newcomer, number, sequence)], CHAIN_ID, gas=200_000, fee=FEE)


def test_websocket_subscriptions(node: Node) -> None:
    ws_url = node.url.replace("http://", "ws://") + "/websocket"
    query = "tm.event='Tx' AND message.action='RegisterOracle'"
    with connect(ws_url) as ws, connect(ws_url) as ws2:
        ws.send(json.dumps({"jsonrpc": "2.0", "method": "subscribe", "id": 7, "params": {"query": query}}))
        assert json.loads(ws.recv(timeout=5)) == {"jsonrpc": "2.0", "id": 7, "result": {}}
        start = int(node.call("status")["sync_info"]["latest_block_height"]) + 3
        ws2.send(json.dumps({"jsonrpc": "2.0", "method": "subscribe", "id": "h",
                             "params": {"query": f"tm.event='Tx' AND tx.height>={start}"}}))
        assert json.loads(ws2.recv(timeout=5))["result"] == {}

        tx = _register_oracle_tx(node, 4)
        result = node.broadcast(tx, "commit")
        assert "code" not in result["tx_result"], result
        ev = next(m for m in iter_ws(ws, 5) if m.get("id") == 7)["result"]
        assert list(iter_ws(ws, 0.2)) == []  # exactly one matching event
        assert ev["query"] == query
        assert ev["data"]["type"] == "tendermint/event/Tx"
        tx_result = ev["data"]["value"]["TxResult"]
        assert (tx_result["height"], tx_result["tx"]) == (result["height"], base64.b64encode(tx).decode())
        assert tx_result["result"] == result["tx_result"]
        assert ev["events"]["tm.event"] == ["Tx"]
        assert ev["events"]["tx.hash"] == [tx_hash_hex(tx)]
        assert ev["events"]["tx.height"] == [result["height"]]
        assert ev["events"]["oracle_registration.unique_id"] == [UNIQUE_ID]
        assert ev["events"]["oracle_registration.oracle_address"] == [USERS[4].bech32()]
        assert "RegisterOracle" in ev["events"]["message.action"]

        # tx.height>=start: only txs of blocks from `start` on arrive
        heights = []
        while True:
            sent = commit_send(node, 5, 6, 1)
            heights.append(int(sent["height"]))
            if heights[-1] >= start + 1:
                break
        got = [int(m["result"]["data"]["value"]["TxResult"]["height"]) for m in iter_ws(ws2, 0.5)]
        expected = [h for h in [int(result["height"]), *heights] if h >= start]
        assert got == expected and len(got) >= 1

        ws.send(json.dumps({"jsonrpc": "2.0", "method": "unsubscribe", "id": 8, "params": {"query": query}}))
        assert json.loads(ws.recv(timeout=5)) == {"jsonrpc": "2.0", "id": 8, "result": {}}
        for i in range(5):
            ws.send(json.dumps({"jsonrpc": "2.0", "method": "subscribe", "id": 10 + i,
                                "params": {"query": f"tx.height>{i}"}}))
            assert json.loads(ws.recv(timeout=5))["result"] == {}
        ws.send(json.dumps({"jsonrpc": "2.0", "method": "subscribe", "id": 20, "params": {"query": "tx.height>9"}}))
        msg = next(m for m in iter_ws(ws, 5) if m.get("id") == 20)
        assert msg["error"]["data"] == "max_subscriptions_per_client 5 reached"
        ws.send(json.dumps({"jsonrpc": "2.0", "method": "unsubscribe_all", "id": 21}))
        assert next(m for m in iter_ws(ws, 5) if m.get("id") == 21)["result"] == {}


def test_mempool_recheck_drops_stale_sequence(tmp_path: Path) -> None:
    """A block carries another tx with the same sequence (the pending proposal after a crash): the mempool
    copy fails recheck after that block's commit and is dropped, from the mempool and the cache."""
    home = make_home(tmp_path / "node", block_interval_ms=300, empty_block_interval_ms=60_000)
    with Node(home) as n:
        engine = n.engine
        assert engine is not None
        n.wait_height(1)
        number, sequence = n.account(USERS[0])
        in_block = send_tx(USERS[0], USERS[1], 11, number, sequence, memo="in the block")
        in_mempool = send_tx(USERS[0], USERS[1], 22, number, sequence, memo="in the mempool")

        async def stage_pending() -> None:
            def build() -> None:
                h = hashlib.sha256(in_block).digest()
                engine.mempool.add(h, in_block, 200_000)
                block = engine._propose(engine.height + 1)
                engine.mempool.remove(h)
                engine.blocks.save_pending(block.to_bytes())

            await engine.run_app(build)

        n.run(stage_pending())
        assert n.broadcast(in_mempool)["code"] == 0
        assert n.call("num_unconfirmed_txs")["n_txs"] == "1"
        assert n.call("unconfirmed_txs")["txs"] == [base64.b64encode(in_mempool).decode()]
        n.wait_tx(tx_hash_hex(in_block))
        deadline = time.monotonic() + 5
        while n.call("num_unconfirmed_txs")["n_txs"] != "0":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert n.raw("tx", {"hash": tx_hash_hex(in_mempool)})["error"]["data"] == \
            f"tx ({tx_hash_hex(in_mempool)}) not found"
        assert n.balance(USERS[1]) == FUNDS + 11
        # dropped from the cache too: the same bytes are checked again (and fail on the sequence)
        again = n.broadcast(in_mempool)
        assert (again["code"], again["log"]) == (32, "account sequence mismatch, expected 1, got 0: "
                                                     "incorrect account sequence")


def test_restart_continues_the_chain(tmp_path: Path) -> None:
    home = make_home(tmp_path / "node")
    with Node(home) as n:
        n.wait_height(1)
        number, sequence = n.account(USERS[7])
        tx = send_tx(USERS[7], USERS[6], 9, number, sequence)
        committed = n.broadcast(tx, "commit")
        height = int(committed["height"])
        n.wait_height(height + 1)
        hashes = {h: header(n, h)["app_hash"] for h in range(1, height + 2)}
    with Node(home) as n:
        assert int(n.call("status")["sync_info"]["latest_block_height"]) >= height + 1
        assert {h: header(n, h)["app_hash"] for h in range(1, height + 2)} == hashes
        assert n.call("tx", hash=tx_hash_hex(tx))["height"] == str(height)
        assert n.balance(USERS[6]) == FUNDS + 9
        again = n.broadcast(send_tx(USERS[7], USERS[6], 1, number, sequence + 1), "commit")
        assert int(again["height"]) > height


def test_serve_embedded_with_rest(tmp_path: Path) -> None:
    """serve_embedded: engine, JSON-RPC and the REST API (through LocalRpc) in one loop."""
    home = make_home(tmp_path / "node")
    config = home.load_config()
    api = f"tcp://127.0.0.1:{free_port()}"
    home.write_config(dataclasses.replace(config, api_enable=True, api_address=api))
    loop = asyncio.new_event_loop()
    ready, stop = asyncio.Event(), asyncio.Event()
    task = loop.create_task(serve_embedded(home, ready=ready, stop=stop))
    thread = threading.Thread(target=loop.run_until_complete, args=(task,), daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(ready.wait(), loop).result(30)
        rest = httpx.get(f"http://{api.removeprefix('tcp://')}/cosmos/bank/v1beta1/balances/{USERS[0].bech32()}",
                         timeout=10).json()
        assert rest["balances"] == [{"denom": "umed", "amount": str(FUNDS)}]
        rpc_url = "http://" + config.rpc_laddr.removeprefix("tcp://")
        assert httpx.get(rpc_url + "/health", timeout=10).json() == {"jsonrpc": "2.0", "id": -1, "result": {}}
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)
    assert task.done() and task.exception() is None


def test_hostile_json_is_a_parse_error_object_never_a_500(node: Node) -> None:
    deep_object = b'{"jsonrpc":"2.0","id":1,"method":"status","params":' + b'{"a":' * 10_000 + b"1" + b"}" * 10_001
    long_number = b'{"jsonrpc":"2.0","id":1,"method":"block","params":{"height":' + b"7" * 5000 + b"}}"
    for body, detail in [(b"[" * 10_000 + b"]" * 10_000, "JSON nested deeper than 100 levels"),
                         (deep_object, "JSON nested deeper than 100 levels"),
                         (long_number, "JSON number longer than 100 digits")]:
        r = node.client.post("/", content=body)
        assert (r.status_code, r.json()) == (400, {"jsonrpc": "2.0", "id": None, "error": {
            "code": -32700, "message": "Parse error", "data": f"error unmarshaling request: {detail}"}})
    height = int(node.call("status")["sync_info"]["latest_block_height"])
    node.wait_height(height + 1)  # still committing


def test_websocket_binary_frame_closes_1003_with_one_log_line(node: Node, caplog: pytest.LogCaptureFixture) -> None:
    ws_url = node.url.replace("http://", "ws://") + "/websocket"
    with caplog.at_level(logging.WARNING), connect(ws_url) as ws:
        ws.send(json.dumps({"jsonrpc": "2.0", "method": "health", "id": 1}))
        assert json.loads(ws.recv(timeout=5)) == {"jsonrpc": "2.0", "id": 1, "result": {}}
        ws.send(b"\x00binary")
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1003
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1 and lines[0].endswith(": binary frame refused, closing with 1003"), lines
    with connect(ws_url) as ws:
        ws.send("[" * 10_000)
        assert json.loads(ws.recv(timeout=5))["error"]["data"] == (
            "error unmarshaling request: JSON nested deeper than 100 levels")
