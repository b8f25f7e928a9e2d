"""Our app under a real CometBFT 0.38.25 binary: a single node, and a 4-validator localnet that loses a node.

The binary comes from scripts/install_cometbft.sh; without it these tests fail (never skip)."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from panacea.client import ChainClient
from panacea.client.tx import Signer, build_tx
from panacea.crypto.keys import PrivateKey
from panacea.node.abci.comet import COMETBFT_VERSION, HttpRpc, cometbft_binary, cometbft_version, rpc_call
from panacea.node.localnet import TEST_FUNDS, Localnet, LocalnetRunner, create_localnet, node_height
from panacea.node.rest.common import render
from panacea.node.rpc.api import RpcError
from panacea.node.txservice import GET_TX_PATH, GET_TXS_EVENT_PATH
from panacea.types.pb.cosmos.auth.v1beta1 import auth_pb2
from panacea.types.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query
from panacea.types.pb.cosmos.bank.v1beta1 import query_pb2 as bank_query
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.tx.v1beta1 import service_pb2

pytestmark = pytest.mark.slow


def abci_query(url: str, path: str, data: bytes) -> dict[str, Any]:
    resp: dict[str, Any] = rpc_call(url, "abci_query", {"path": path, "data": data.hex()})["response"]
    return resp


def account(url: str, address: str) -> tuple[int, int]:
    resp = abci_query(url, "/cosmos.auth.v1beta1.Query/Account",
                      auth_query.QueryAccountRequest(address=address).SerializeToString())
    acc = auth_pb2.BaseAccount.FromString(
        auth_query.QueryAccountResponse.FromString(base64.b64decode(resp["value"])).account.value)
    return acc.account_number, acc.sequence


def balance(url: str, address: str) -> int:
    resp = abci_query(url, "/cosmos.bank.v1beta1.Query/Balance",
                      bank_query.QueryBalanceRequest(address=address, denom="umed").SerializeToString())
    return int(bank_query.QueryBalanceResponse.FromString(base64.b64decode(resp["value"])).balance.amount)


def send(url: str, chain_id: str, key: PrivateKey, to: str, amount: int, *, sequence: int | None = None) -> str:
    """MsgSend through broadcast_tx_sync; returns the tx hash (hex) after CheckTx accepted it."""
    number, seq = account(url, key.bech32())
    msg = bank_tx.MsgSend(from_address=key.bech32(), to_address=to, amount=[{"denom": "umed", "amount": str(amount)}])
    tx = build_tx([msg], [Signer(key, number, seq if sequence is None else sequence)], chain_id, gas=200_000)
    result = rpc_call(url, "broadcast_tx_sync", {"tx": base64.b64encode(tx).decode()})
    assert result["code"] == 0, result
    return str(result["hash"])


def wait_tx(url: str, tx_hash: str, timeout: float = 15) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return rpc_call(url, "tx", {"hash": base64.b64encode(bytes.fromhex(tx_hash)).decode()})
        except RpcError as e:
            if "not found" not in e.data or time.monotonic() > deadline:
                raise
        time.sleep(0.1)


def header_app_hash(url: str, height: int) -> str:
    return str(rpc_call(url, "block", {"height": str(height)})["block"]["header"]["app_hash"])


@pytest.fixture()
def single(tmp_path: Path) -> Iterator[tuple[Localnet, LocalnetRunner]]:
    net = create_localnet(tmp_path / "single", 1, chain_id="panacea-single")
    runner = LocalnetRunner(net)
    try:
        runner.start(wait_height=1, timeout=60)
        yield net, runner
    finally:
        runner.stop()


def test_cometbft_binary_is_the_pinned_version() -> None:
    assert cometbft_version(cometbft_binary()) == COMETBFT_VERSION


def test_single_node_commits_txs_and_state(single: tuple[Localnet, LocalnetRunner]) -> None:
    net, _ = single
    url = net.nodes[0].ports.rpc_url
    sender = net.keyring.private_key("test0")
    receiver = net.keyring.show("test1").address
    assert balance(url, receiver) == TEST_FUNDS

    first = send(url, net.chain_id, sender, receiver, 1234)
    found = wait_tx(url, first)
    assert found["hash"] == first
    assert found["tx_result"].get("code", 0) == 0
    assert found["tx_result"]["gas_wanted"] == "200000"
    assert {"key": "action", "value": "send", "index": True} in [
        a for e in found["tx_result"]["events"] if e["type"] == "message" for a in e["attributes"]]

    # a second tx from the same account (sequence 1), then the state after both
    second = send(url, net.chain_id, sender, receiver, 66)
    wait_tx(url, second)
    assert balance(url, receiver) == TEST_FUNDS + 1300
    assert balance(url, sender.bech32()) == TEST_FUNDS - 1300
    assert account(url, sender.bech32())[1] == 2

    stale = build_tx([bank_tx.MsgSend(from_address=sender.bech32(), to_address=receiver,
                                      amount=[{"denom": "umed", "amount": "1"}])],
                     [Signer(sender, account(url, sender.bech32())[0], 0)], net.chain_id, gas=200_000)
    rejected = rpc_call(url, "broadcast_tx_sync", {"tx": base64.b64encode(stale).decode()})
    assert (rejected["code"], rejected["codespace"]) == (32, "sdk")

    search = rpc_call(url, "tx_search", {"query": "message.action='send'", "per_page": "30"})
    assert search["total_count"] == "2"
    assert sorted(t["hash"] for t in search["txs"]) == sorted([first, second])

    # the same client code as against the embedded engine: ChainClient + wallet (gas auto, sequences)
    with ChainClient(f"tcp://127.0.0.1:{net.nodes[0].ports.rpc}") as client:
        assert client.get_chain_id() == net.chain_id
        wallet = client.wallet(sender)
        msg = bank_tx.MsgSend(from_address=sender.bech32(), to_address=receiver,
                              amount=[{"denom": "umed", "amount": "7"}])
        results = [wallet.send([msg], gas="auto") for _ in range(3)]
        assert [r.code for r in results] == [0, 0, 0]
        assert client.balance(receiver) == TEST_FUNDS + 1300 + 21
        assert client.account(sender.bech32()).sequence == 5

    # the REST API of the app process reads the chain through CometBFT's RPC (HttpRpc)
    with urllib.request.urlopen(f"{net.nodes[0].ports.api_url}/cosmos/bank/v1beta1/balances/{receiver}") as r:
        assert json.loads(r.read())["balances"] == [{"denom": "umed", "amount": str(TEST_FUNDS + 1300 + 21)}]

    # the SDK's tx service over abci_query: answered by the app from CometBFT's tx index, as REST answers
    with urllib.request.urlopen(f"{net.nodes[0].ports.api_url}/cosmos/tx/v1beta1/txs/{first}") as r:
        rest_doc = json.loads(r.read())
    got = abci_query(url, GET_TX_PATH, service_pb2.GetTxRequest(hash=first.lower()).SerializeToString())
    assert render(service_pb2.GetTxResponse.FromString(base64.b64decode(got["value"]))) == rest_doc
    assert rest_doc["tx_response"]["txhash"] == first and rest_doc["tx_response"]["code"] == 0
    missing = abci_query(url, GET_TX_PATH, service_pb2.GetTxRequest(hash="ab" * 32).SerializeToString())
    assert (missing["code"], missing["codespace"], missing["log"]) == (
        22, "sdk", f"rpc error: code = NotFound desc = tx not found: {'ab' * 32}: key not found")
    events = service_pb2.GetTxsEventRequest(events=["message.action='send'"], order_by=service_pb2.ORDER_BY_ASC)
    listed = service_pb2.GetTxsEventResponse.FromString(base64.b64decode(abci_query(
        url, GET_TXS_EVENT_PATH, events.SerializeToString())["value"]))
    assert [t.txhash for t in listed.tx_responses][:2] == [first, second] and listed.pagination.total >= 2

    async def through_http_rpc() -> None:
        rpc = HttpRpc(f"tcp://127.0.0.1:{net.nodes[0].ports.rpc}")
        try:
            assert (await rpc.call("status", {}))["node_info"]["network"] == net.chain_id
            with pytest.raises(RpcError) as e:
                await rpc.call("tx", {"hash": base64.b64encode(bytes(32)).decode()})
            missing = f"tx ({'0' * 64}) not found"
            assert (e.value.code, e.value.message, e.value.data) == (-32603, "Internal error", missing)
        finally:
            await rpc.close()

    asyncio.run(through_http_rpc())

    info = rpc_call(url, "abci_info", {})["response"]
    height = int(info["last_block_height"])
    committed = base64.b64decode(info["last_block_app_hash"]).hex().upper()
    deadline = time.monotonic() + 10
    while node_height(net.nodes[0]) < height + 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert header_app_hash(url, height + 1) == committed  # the app hash after block H is in header H+1


def test_localnet_agrees_survives_a_lost_validator_and_catches_it_up(tmp_path: Path) -> None:
    net = create_localnet(tmp_path / "net", 4, chain_id="panacea-localnet-test")
    runner = LocalnetRunner(net)
    urls = [n.ports.rpc_url for n in net.nodes]
    try:
        runner.start(wait_height=2, timeout=60)
        sender = net.keyring.private_key("test0")
        receiver = net.keyring.show("test1").address
        wait_tx(urls[1], send(urls[0], net.chain_id, sender, receiver, 10))

        runner.kill_validator(3)
        before = max(node_height(n) for n in net.nodes[:3])
        runner.wait_height(before + 3, nodes=[0, 1, 2], timeout=30)  # 3 of 4 equal powers is > 2/3
        during = send(urls[1], net.chain_id, sender, receiver, 20)
        committed_during = int(wait_tx(urls[2], during)["height"])
        assert committed_during > before

        runner.start_validator(3)  # its app replays nothing lost: CometBFT hands it every missing block
        target = max(node_height(n) for n in net.nodes[:3])
        runner.wait_height(target, nodes=[3], timeout=45)
        assert balance(urls[3], receiver) == TEST_FUNDS + 30

        top = min(node_height(n) for n in net.nodes)
        assert top >= target
        for h in range(1, top + 1):
            hashes = {header_app_hash(u, h) for u in urls}
            assert len(hashes) == 1, f"app hashes differ at height {h}: {hashes}"
        infos = [rpc_call(u, "abci_info", {})["response"] for u in urls]
        assert all(int(i["last_block_height"]) >= top for i in infos)
    finally:
        runner.stop()


def test_patch_config_toml_keeps_comments_and_refuses_unknown_keys(tmp_path: Path) -> None:
    from panacea.node.abci.comet import CometError, patch_config_toml

    path = tmp_path / "config.toml"
    path.write_text('# top comment\nproxy_app = "tcp://127.0.0.1:26658"\n\n[rpc]\n# where RPC listens\n'
                    'laddr = "tcp://127.0.0.1:26657"\ncors_allowed_origins = []\n\n[p2p]\npex = true\n')
    patch_config_toml(path, {("", "proxy_app"): "tcp://127.0.0.1:9", ("rpc", "laddr"): 'tcp://"q"',
                             ("p2p", "pex"): False})
    assert path.read_text() == ('# top comment\nproxy_app = "tcp://127.0.0.1:9"\n\n[rpc]\n# where RPC listens\n'
                                'laddr = "tcp://\\"q\\""\ncors_allowed_origins = []\n\n[p2p]\npex = false\n')
    with pytest.raises(CometError, match=r"config.toml: no such config.toml key\(s\): rpc.nope, <top>.x$"):
        patch_config_toml(path, {("rpc", "nope"): 1, ("", "x"): 2})
