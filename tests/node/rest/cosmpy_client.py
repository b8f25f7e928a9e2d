"""Run by .venv-cosmpy's python (cosmpy 0.12.2; never the project venv): drive a node's REST API with
cosmpy and print one JSON document of what it saw.

    python cosmpy_client.py '<json config>'
    config: {"url", "chain_id", "sender_key_hex", "recipient", "amount", "proto_dir", "workdir"}

Custom messages follow spec/cosmos-rest.md §7: the Panacea .proto files are compiled with grpc_tools.protoc
(cosmos/* imports are resolved at compile time from proto_dir and at run time to cosmpy's own modules).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta


def compile_panacea_protos(proto_dir: str, out_dir: str) -> None:
    from grpc_tools import protoc

    files = [os.path.join(proto_dir, "panacea", "datadeal", "v2", name)
             for name in ("deal.proto", "consent.proto", "tx.proto")]
    os.makedirs(out_dir, exist_ok=True)
    code = protoc.main(["protoc", f"-I{proto_dir}", f"--python_out={out_dir}", *files])
    if code != 0:
        raise SystemExit(f"protoc failed with code {code}")
    for pkg in ("panacea", "panacea/datadeal", "panacea/datadeal/v2"):
        open(os.path.join(out_dir, pkg, "__init__.py"), "a").close()


def main() -> None:
    cfg = json.loads(sys.argv[1])
    import cosmpy.protos  # noqa: F401 - puts cosmpy's protos (cosmos.*) on sys.path first
    from cosmpy.aerial.client import LedgerClient, NetworkConfig
    from cosmpy.aerial.client.utils import prepare_and_broadcast_basic_transaction
    from cosmpy.aerial.tx import Transaction
    from cosmpy.aerial.wallet import LocalWallet
    from cosmpy.crypto.address import Address
    from cosmpy.crypto.keypairs import PrivateKey
    from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

    gen = os.path.join(cfg["workdir"], "gen")
    compile_panacea_protos(cfg["proto_dir"], gen)
    sys.path.insert(0, gen)
    from panacea.datadeal.v2 import deal_pb2, tx_pb2

    client = LedgerClient(NetworkConfig(chain_id=cfg["chain_id"], fee_minimum_gas_price=5, fee_denomination="umed",
                                        staking_denomination="umed", url=cfg["url"]),
                          query_interval_secs=1, query_timeout_secs=30)
    wallet = LocalWallet(PrivateKey(bytes.fromhex(cfg["sender_key_hex"])), prefix="panacea")
    sender = Address(str(wallet.address()))
    recipient = Address(cfg["recipient"])
    out: dict[str, object] = {"sender": str(sender), "chain_id": client.query_chain_id()}
    account = client.query_account(sender)
    out["account_before"] = {"number": account.number, "sequence": account.sequence}
    out["sender_before"] = client.query_bank_balance(sender, "umed")
    out["recipient_before"] = client.query_bank_balance(recipient, "umed")
    out["block_params"] = client.query_params("baseapp", "BlockParams")
    info = client.query_node_info()
    out["node_info"] = {"app_name": info.app_name, "app_version": str(info.app_version),
                        "cosmos_sdk_version": str(info.cosmos_sdk_version)}

    sent = client.send_tokens(recipient, int(cfg["amount"]), "umed", wallet)
    done = sent.wait_to_complete(timeout=timedelta(seconds=30), poll_period=timedelta(seconds=0.5)).response
    out["send"] = {"hash": done.hash, "code": done.code, "height": done.height, "gas_wanted": done.gas_wanted,
                   "gas_used": done.gas_used, "timestamp": done.timestamp.isoformat() if done.timestamp else None,
                   "actions": done.events.get("message", {}).get("action")}
    out["sender_after_send"] = client.query_bank_balance(sender, "umed")
    out["recipient_after_send"] = client.query_bank_balance(recipient, "umed")
    out["all_balances"] = [{"denom": c.denom, "amount": c.amount} for c in client.query_bank_all_balances(recipient)]

    msg = tx_pb2.MsgCreateDeal(
        data_schema=["https://schema.example/cosmpy.json"], budget=Coin(denom="umed", amount="1000000"),
        max_num_data=10, consumer_address=str(sender), consumer_service_endpoint="https://consumer.example/cosmpy",
        agreement_terms=[deal_pb2.AgreementTerm(id=1, required=True, title="cosmpy term", description="via REST")])
    tx = Transaction()
    tx.add_message(msg)
    deal_tx = prepare_and_broadcast_basic_transaction(client, tx, wallet)
    done = deal_tx.wait_to_complete(timeout=timedelta(seconds=30), poll_period=timedelta(seconds=0.5)).response
    out["create_deal"] = {"hash": done.hash, "code": done.code, "gas_wanted": done.gas_wanted,
                          "gas_used": done.gas_used, "actions": done.events.get("message", {}).get("action")}
    out["sender_after_deal"] = client.query_bank_balance(sender, "umed")
    account = client.query_account(sender)
    out["account_after"] = {"number": account.number, "sequence": account.sequence}
    out["height"] = client.query_height()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
