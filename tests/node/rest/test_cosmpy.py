"""cosmpy 0.12.2 (in its own virtualenv, scripts/cosmpy_venv.sh) against a real embedded node's REST API:
balance queries, send_tokens and a custom MsgCreateDeal, with exact balances after fees."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from panacea.chain import addr
from panacea.crypto.address import module_address
from tests.node.kit import CHAIN_ID, FUNDS, GAS_PRICE, RestNode, init_home, key

ROOT = Path(__file__).resolve().parents[3]
CLIENT = Path(__file__).with_name("cosmpy_client.py")
SENDER = key("cosmpy-sender")
RECIPIENT = key("cosmpy-recipient")
AMOUNT = 12345
BUDGET = 1_000_000


def cosmpy_python() -> str:
    try:
        proc = subprocess.run(["bash", str(ROOT / "scripts" / "cosmpy_venv.sh")], capture_output=True, text=True,
                              timeout=600)
    except subprocess.TimeoutExpired:
        pytest.fail("scripts/cosmpy_venv.sh did not finish in 10 minutes (no network for pip?)")
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        pytest.fail(f"cannot create the cosmpy virtualenv with scripts/cosmpy_venv.sh "
                    f"(exit {proc.returncode}; pip needs network access):\n{tail}")
    return proc.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def cosmpy_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RestNode]:
    home = init_home(Path(tmp_path_factory.mktemp("cosmpy")) / "home", extra_funded=[SENDER])
    n = RestNode(home).start()
    yield n
    n.stop()


def run_client(python: str, node: RestNode, workdir: Path) -> dict[str, Any]:
    cfg = {"url": "rest+" + node.url, "chain_id": CHAIN_ID, "sender_key_hex": SENDER.to_hex(),
           "recipient": RECIPIENT.bech32(), "amount": AMOUNT, "proto_dir": str(ROOT / "proto"),
           "workdir": str(workdir)}
    proc = subprocess.run([python, str(CLIENT), json.dumps(cfg)], capture_output=True, text=True, timeout=180,
                          cwd=workdir)
    assert proc.returncode == 0, f"cosmpy client failed:\n{proc.stderr[-4000:]}"
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.slow
def test_cosmpy_send_and_create_deal(cosmpy_node: RestNode, tmp_path: Path) -> None:
    python = cosmpy_python()
    assert sys.executable != python
    out = run_client(python, cosmpy_node, tmp_path)
    sender = SENDER.bech32()
    number = out["account_before"]["number"]
    assert out["sender"] == sender and out["chain_id"] == CHAIN_ID
    assert out["account_before"] == {"number": number, "sequence": 0}
    assert out["block_params"] == {"max_bytes": "22020096", "max_gas": "-1"}
    assert out["node_info"] == {"app_name": "panacea", "app_version": "0.1.0", "cosmos_sdk_version": "0.45.12"}
    assert (out["sender_before"], out["recipient_before"]) == (FUNDS, 0)

    send = out["send"]
    assert (send["code"], send["actions"]) == (0, "send")
    assert 0 < send["gas_used"] <= send["gas_wanted"]
    send_fee = math.ceil(send["gas_wanted"] * GAS_PRICE)
    assert out["sender_after_send"] == FUNDS - AMOUNT - send_fee
    assert out["recipient_after_send"] == AMOUNT
    assert out["all_balances"] == [{"denom": "umed", "amount": str(AMOUNT)}]

    deal = out["create_deal"]
    assert (deal["code"], deal["actions"]) == (0, "CreateDeal")
    assert 0 < deal["gas_used"] <= deal["gas_wanted"]
    deal_fee = math.ceil(deal["gas_wanted"] * GAS_PRICE)
    assert out["sender_after_deal"] == out["sender_after_send"] - BUDGET - deal_fee
    assert out["account_after"] == {"number": number, "sequence": 2}

    # what the node stored, read back over REST
    assert cosmpy_node.ok("/panacea/datadeal/v2/deals/1") == {"deal": {
        "id": "1", "address": addr.encode(module_address("deal1")),
        "data_schema": ["https://schema.example/cosmpy.json"], "presentation_definition": None,
        "budget": {"denom": "umed", "amount": str(BUDGET)}, "max_num_data": "10", "cur_num_data": "0",
        "consumer_address": sender,
        "agreement_terms": [{"id": 1, "required": True, "title": "cosmpy term", "description": "via REST"}],
        "status": "DEAL_STATUS_ACTIVE", "consumer_service_endpoint": "https://consumer.example/cosmpy"}}
    assert cosmpy_node.ok(f"/cosmos/bank/v1beta1/balances/{addr.encode(module_address('deal1'))}/by_denom",
                          denom="umed") == {"balance": {"denom": "umed", "amount": str(BUDGET)}}
    tx = cosmpy_node.ok(f"/cosmos/tx/v1beta1/txs/{deal['hash']}")
    assert tx["tx"]["auth_info"]["fee"] == {"amount": [{"denom": "umed", "amount": str(deal_fee)}],
                                            "gas_limit": str(deal["gas_wanted"]), "payer": "", "granter": ""}
    assert tx["tx"]["body"]["messages"][0]["@type"] == "/panacea.datadeal.v2.MsgCreateDeal"
    assert out["height"] >= int(tx["tx_response"]["height"])
