"""cosmjs 0.39 (``SigningStargateClient``, ``DirectSecp256k1Wallet``, a custom ``MsgCreateDeal`` through a
``Registry``, ``setupTxExtension``) as a web app uses it, against the embedded engine and a real CometBFT node:
getAccount of an unknown address is null, fee "auto" simulates, tx.getTx finds the tx (issue 17)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from panacea.client import ChainClient
from panacea.crypto.keys import PrivateKey
from panacea.node.localnet import TEST_FUNDS, LocalnetRunner, create_localnet
from tests.node.kit import FUNDS, GAS_PRICE, RestNode, init_home, key

ROOT = Path(__file__).resolve().parents[3]
CLIENT = Path(__file__).parent / "cosmjs" / "client.mjs"
SENDER = key("cosmjs-sender")
RECIPIENT = key("cosmjs-recipient")
UNKNOWN = key("cosmjs-never-seen")
AMOUNT = 12345
MULTIPLIER = 1.4  # cosmjs's default for fee "auto"


@pytest.fixture(scope="module")
def cosmjs() -> Path:
    if shutil.which("node") is None:
        pytest.fail("the cosmjs test needs Node.js (node and npm on PATH)")
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "cosmjs_deps.sh")], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, f"scripts/cosmjs_deps.sh failed (npm needs the registry once):\n{proc.stderr[-3000:]}"
    return CLIENT


def deal_consumer(rpc: str) -> str:
    with ChainClient(rpc) as client:
        return client.deal(1).consumer_address


def run_cosmjs(client: Path, rpc: str, sender: PrivateKey) -> dict[str, Any]:
    cfg = {"rpc": rpc, "sender_key_hex": sender.to_hex(), "recipient": RECIPIENT.bech32(), "amount": AMOUNT,
           "gas_price": f"{GAS_PRICE}umed", "unknown": UNKNOWN.bech32()}
    proc = subprocess.run(["node", str(client), json.dumps(cfg)], capture_output=True, text=True, timeout=180,
                          cwd=client.parent)
    assert proc.returncode == 0, f"cosmjs client failed:\n{proc.stderr[-4000:]}"
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def fee_of(gas_wanted: int) -> int:
    return math.ceil(GAS_PRICE * gas_wanted)


def check(out: dict[str, Any], funds: int) -> None:
    assert out["unknown_account"] is None
    assert out["sender_sequence"] == 0 and out["balance_before"] == str(funds)
    send = out["send"]
    assert send["code"] == 0
    assert send["gas_wanted"] == math.ceil(out["simulated_gas"] * MULTIPLIER)
    assert send["gas_used"] <= send["gas_wanted"]
    assert out["balance_after_send"] == str(funds - AMOUNT - fee_of(send["gas_wanted"]))
    assert out["recipient_balance"] == str(AMOUNT)
    assert out["get_tx"] == {"hash": send["hash"], "height": send["height"], "code": 0,
                             "fee": [f"{fee_of(send['gas_wanted'])}umed"], "memo": ""}
    created = out["create_deal"]
    # SDK 0.45's TxMsgData has no msg_responses (0.46+): the deal id is in its legacy `data`, which cosmjs skips
    assert (created["code"], created["msg_responses"]) == (0, [])
    spent = AMOUNT + fee_of(send["gas_wanted"]) + 1_000_000 + fee_of(created["gas_wanted"])
    assert out["balance_final"] == str(funds - spent)
    assert out["sender_sequence_final"] == 2


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RestNode]:
    home = init_home(Path(tmp_path_factory.mktemp("cosmjs")) / "home", extra_funded=[SENDER])
    n = RestNode(home).start()
    yield n
    n.stop()


@pytest.mark.slow
def test_cosmjs_against_the_embedded_engine(cosmjs: Path, embedded: RestNode) -> None:
    out = run_cosmjs(cosmjs, embedded.rpc_url, SENDER)
    check(out, FUNDS)
    assert deal_consumer(embedded.rpc_url) == SENDER.bech32()


@pytest.mark.slow
def test_cosmjs_against_a_real_cometbft_node(cosmjs: Path, tmp_path: Path) -> None:
    net = create_localnet(tmp_path / "net", 1, chain_id="panacea-cosmjs", test_keys=1)
    runner = LocalnetRunner(net)
    try:
        runner.start(wait_height=1, timeout=60)
        sender = net.keyring.private_key("test0")
        out = run_cosmjs(cosmjs, net.nodes[0].ports.rpc_url, sender)
        consumer = deal_consumer(net.nodes[0].ports.rpc_url)
    finally:
        runner.stop()
    assert out["chain_id"] == "panacea-cosmjs"
    check(out, TEST_FUNDS)
    assert consumer == sender.bech32()
