"""`panacead tx …` / `query …` against a real embedded node started with `panacead start`."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from panacea.cli.panacead import main
from panacea.crypto.signature import SignatureMode, sign_message
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2
from panacea.types.pb.panacea.oracle.v2 import tx_pb2 as oracle_tx
from panacea.types.protojson import to_json
from tests.client.nodekit import CHAIN_ID, FUNDS, ORACLE_SHARED_KEY, UNIQUE_ID, Node, key, start_node


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    n = start_node(tmp_path_factory.mktemp("cli-e2e"))
    yield n
    n.stop()


def cli(node: Node, *args: str) -> Result:
    keyring = ["--home", str(node.home), "--keyring-backend", "test"] if args[0] == "tx" else []
    return CliRunner().invoke(main, [*args, *keyring, "--node", node.rpc])


def ok(node: Node, *args: str) -> Any:
    r = cli(node, *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_bank_send_then_balances(node: Node) -> None:
    bob = key("bob").bech32()
    out = ok(node, "tx", "bank", "send", "alice", bob, "1500umed", "--fees", "300umed", "--yes")
    assert (out["code"], out["codespace"], out["raw_log"].startswith("[")) == (0, "", True)
    assert int(out["height"]) >= 1 and len(out["txhash"]) == 64
    assert ok(node, "query", "bank", "balances", key("alice").bech32()) == {
        "balances": [{"denom": "umed", "amount": str(FUNDS - 1800)}], "pagination": {"next_key": "", "total": "0"}}
    assert ok(node, "query", "bank", "balances", bob, "--denom", "umed") == {
        "balance": {"denom": "umed", "amount": str(FUNDS + 1500)}}
    account = ok(node, "query", "auth", "account", key("alice").bech32())["account"]
    assert (account["@type"], account["sequence"]) == ("/cosmos.auth.v1beta1.BaseAccount", "1")
    assert ok(node, "query", "tx", out["txhash"]) == out
    block = ok(node, "query", "block", out["height"])
    assert block["block"]["header"]["height"] == out["height"]
    assert block["block"]["header"]["chain_id"] == CHAIN_ID
    assert ok(node, "status")["node_info"]["network"] == CHAIN_ID


def test_deal_and_consent_flow(node: Node, tmp_path: Path) -> None:
    consumer, provider, oracle = key("consumer"), key("provider"), key("oracle")
    deal_file = tmp_path / "deal.json"
    deal_file.write_text(json.dumps({
        "data_schema": ["https://schema.example/s.json"], "budget": {"denom": "umed", "amount": "10000"},
        "max_num_data": 10, "consumer_service_endpoint": "https://consumer.example",
        "agreement_terms": [{"id": 1, "required": True, "title": "Term 1", "description": "share it"}],
    }))
    out = ok(node, "tx", "datadeal", "create-deal", str(deal_file), "--from", "consumer")
    assert out["code"] == 0
    deals = ok(node, "query", "datadeal", "deals")["deals"]
    deal = deals[-1]
    deal_id = int(deal["id"])
    assert deal == {
        "id": str(deal_id), "address": deal["address"], "data_schema": ["https://schema.example/s.json"],
        "presentation_definition": "", "budget": {"denom": "umed", "amount": "10000"}, "max_num_data": "10",
        "cur_num_data": "0", "consumer_address": consumer.bech32(),
        "agreement_terms": [{"id": 1, "required": True, "title": "Term 1", "description": "share it"}],
        "status": "DEAL_STATUS_ACTIVE", "consumer_service_endpoint": "https://consumer.example",
    }
    assert ok(node, "query", "datadeal", "deal", str(deal_id)) == {"deal": deal}
    assert out["deal_id"] == str(deal_id)  # decoded from the MsgCreateDealResponse in the tx data
    assert ok(node, "query", "bank", "balances", consumer.bech32())["balances"][0]["amount"] == str(FUNDS - 10000)

    data_hash = hashlib.sha256(b"provider data").hexdigest()
    unsigned = consent_pb2.UnsignedCertificate(unique_id=UNIQUE_ID, oracle_address=oracle.bech32(), deal_id=deal_id,
                                               provider_address=provider.bech32(), data_hash=data_hash)
    signature = sign_message(ORACLE_SHARED_KEY, unsigned.SerializeToString(), SignatureMode.SHA256)
    consent = consent_pb2.Consent(deal_id=deal_id, certificate=consent_pb2.Certificate(
        unsigned_certificate=unsigned, signature=signature), agreements=[consent_pb2.Agreement(term_id=1,
                                                                                              agreement=True)])
    consent_file = tmp_path / "consent.json"
    consent_file.write_text(json.dumps(to_json(consent)))
    out = ok(node, "tx", "datadeal", "submit-consent", str(consent_file), "--from", "provider")
    assert out["code"] == 0
    stored = ok(node, "query", "datadeal", "consent", str(deal_id), data_hash)["consent"]
    assert stored["certificate"]["signature"] == base64.b64encode(signature).decode()
    assert [c["certificate"]["unsigned_certificate"]["data_hash"]
            for c in ok(node, "query", "datadeal", "consents", str(deal_id))["consents"]] == [data_hash]
    balance = ok(node, "query", "bank", "balances", provider.bech32())["balances"][0]["amount"]
    assert balance == str(FUNDS + 900)
    assert ok(node, "query", "bank", "balances", oracle.bech32())["balances"][0]["amount"] == str(FUNDS + 100)
    assert ok(node, "query", "datadeal", "deal", str(deal_id))["deal"]["cur_num_data"] == "1"

    # the same consent again fails in the block: exit 1, the result JSON, then the raw log as the error
    r = cli(node, "tx", "datadeal", "submit-consent", str(consent_file), "--from", "provider", "--gas", "300000")
    assert r.exit_code == 1
    printed = json.loads(r.output[: r.output.rindex("}") + 1])
    assert printed["code"] == 7 and printed["codespace"] == "datadeal"
    assert r.output.endswith(f"Error: {printed['raw_log']}\n")
    assert printed["raw_log"].endswith("already provided consent: error while submit consent")
    # with --gas auto the simulation already fails: one line, exit 1
    r = cli(node, "tx", "datadeal", "deactivate-deal", str(deal_id), "--from", "provider")
    assert r.exit_code == 1 and r.output.count("\n") == 1
    assert r.output.startswith("Error: ") and "only consumer can deactivate the deal" in r.output
    out = ok(node, "tx", "datadeal", "deactivate-deal", str(deal_id), "--from", "consumer")
    assert out["code"] == 0
    assert ok(node, "query", "datadeal", "deal", str(deal_id))["deal"]["status"] == "DEAL_STATUS_INACTIVE"


def test_oracle_registration_and_queries(node: Node) -> None:
    node_key = key("enclave-node").public_key().to_base64()
    carol = key("carol").bech32()
    out = ok(node, "tx", "oracle", "register-oracle", "--from", "carol", "--oracle-unique-id", UNIQUE_ID,
             "--node-public-key", node_key, "--node-public-key-remote-report", "cmVwb3J0",
             "--trusted-block-height", "1", "--trusted-block-hash", "ab" * 32, "--oracle-endpoint", "https://c",
             "--oracle-commission-rate", "0.1", "--oracle-commission-max-rate", "0.2",
             "--oracle-commission-max-change-rate", "0.01")
    assert out["code"] == 0
    events = {e["type"]: e["attributes"] for e in out["events"]}
    assert events["oracle_registration"] == [{"key": "unique_id", "value": UNIQUE_ID},
                                             {"key": "oracle_address", "value": carol}]
    reg = ok(node, "query", "oracle", "oracle-registration", UNIQUE_ID, carol)["oracle_registration"]
    assert (reg["node_pub_key"], reg["trusted_block_hash"], reg["oracle_commission_rate"]) == (
        node_key, base64.b64encode(bytes.fromhex("ab" * 32)).decode(), "0.100000000000000000")
    assert [r["oracle_address"] for r in ok(node, "query", "oracle", "oracle-registrations", UNIQUE_ID)[
        "oracle_registrations"]] == [carol]
    assert ok(node, "query", "oracle", "params")["params"]["unique_id"] == UNIQUE_ID
    assert ok(node, "query", "oracle", "upgrade-info") == {"oracle_upgrade_info": None}
    assert ok(node, "query", "oracle", "oracle", key("oracle").bech32())["oracle"]["endpoint"] == "https://oracle.e2e"
    r = cli(node, "query", "oracle", "oracle", carol)
    assert r.exit_code == 1 and r.output.startswith("Error: ") and "not" in r.output

    # the genesis oracle approves carol, signing the approval with the shared oracle key
    approval = oracle_tx.ApprovalSharingOracleKey(
        approver_unique_id=UNIQUE_ID, approver_oracle_address=key("oracle").bech32(), target_unique_id=UNIQUE_ID,
        target_oracle_address=carol, encrypted_oracle_priv_key=b"sealed-for-the-node")
    signature = sign_message(ORACLE_SHARED_KEY, approval.SerializeToString(), SignatureMode.SHA256)
    b64 = base64.b64encode
    out = ok(node, "tx", "oracle", "approve-oracle-registration", carol, b64(b"sealed-for-the-node").decode(),
             b64(signature).decode(), "--from", "oracle")
    assert out["code"] == 0
    assert {"key": "oracle_address", "value": carol} in {e["type"]: e for e in out["events"]}[
        "approve_oracle_registration"]["attributes"]
    assert ok(node, "query", "oracle", "oracle", carol)["oracle"]["endpoint"] == "https://c"
    out = ok(node, "tx", "oracle", "update-oracle-info", "--oracle-endpoint", "https://c2", "--from", "carol")
    assert out["code"] == 0
    assert ok(node, "query", "oracle", "oracle", carol)["oracle"]["endpoint"] == "https://c2"


def test_gov_proposal_deposit_vote(node: Node) -> None:
    out = ok(node, "tx", "gov", "submit-proposal", "oracle-upgrade", "--upgrade-unique-id", "next-uid",
             "--upgrade-height", "100000", "--title", "upgrade", "--description", "to next-uid",
             "--deposit", "1000umed", "--from", "dave")
    assert out["code"] == 0
    proposals = ok(node, "query", "gov", "proposals")["proposals"]
    proposal_id = proposals[-1]["proposal_id"]
    assert proposals[-1]["content"]["plan"] == {"unique_id": "next-uid", "height": "100000"}
    assert ok(node, "tx", "gov", "deposit", proposal_id, "10000000umed", "--from", "dave")["code"] == 0
    assert ok(node, "query", "gov", "proposal", proposal_id)["proposal"]["status"] == "PROPOSAL_STATUS_VOTING_PERIOD"
    assert ok(node, "tx", "gov", "vote", proposal_id, "yes", "--from", "voter")["code"] == 0
    vote = ok(node, "query", "gov", "vote", proposal_id, key("voter").bech32())["vote"]
    assert vote["options"] == [{"option": "VOTE_OPTION_YES", "weight": "1.000000000000000000"}]
    assert ok(node, "query", "gov", "tally", proposal_id)["tally"]["yes"] == "10"
    deposits = ok(node, "query", "gov", "deposits", proposal_id)["deposits"]
    assert deposits[0]["amount"] == [{"denom": "umed", "amount": "10001000"}]
    assert set(ok(node, "query", "gov", "params")) == {"voting_params", "deposit_params", "tally_params"}


def keyring_args(node: Node) -> list[str]:
    return ["--home", str(node.home), "--keyring-backend", "test"]


def test_gas_prices_with_auto_gas_pay_their_fee(node: Node) -> None:
    """Issue 10 bug 1: `--gas-prices 5umed` with `--gas auto` ran out of gas (the fee's own gas was not simulated)."""
    payer, bob = key("gas-cli"), key("bob").bech32()
    out = ok(node, "tx", "bank", "send", "gas-cli", bob, "1umed", "--gas-prices", "5umed")
    assert (out["code"], out["codespace"]) == (0, "")
    fee = 5 * int(out["gas_wanted"])
    assert int(out["gas_used"]) <= int(out["gas_wanted"])
    assert ok(node, "query", "bank", "balances", payer.bech32(), "--denom", "umed") == {
        "balance": {"denom": "umed", "amount": str(FUNDS - 1 - fee)}}
    out = ok(node, "tx", "bank", "send", "gas-cli", bob, "1umed", "--gas-prices", "0.5", "--gas-adjustment", "1.0")
    assert (out["code"], out["gas_used"]) == (0, out["gas_wanted"])  # exact: the simulation carried this fee
    fee += -(-int(out["gas_wanted"]) // 2)
    assert ok(node, "query", "bank", "balances", payer.bech32(), "--denom", "umed") == {
        "balance": {"denom": "umed", "amount": str(FUNDS - 2 - fee)}}


def test_bank_send_sender_is_positional_and_a_conflicting_from_fails(node: Node) -> None:
    """Issue 10 bug 2: `send alice BOB 1000umed --from carol` used alice and ignored carol (which need not exist)."""
    bob, carol = key("bob").bech32(), key("carol").bech32()
    before = ok(node, "query", "bank", "balances", carol, "--denom", "umed")
    for other in ("carol", "nobody"):
        r = cli(node, "tx", "bank", "send", "alice", bob, "1000umed", "--from", other)
        assert (r.exit_code, r.output) == (1, f"Error: --from {other} conflicts with the sender alice: give the "
                                               "sender once\n")
    out = ok(node, "tx", "bank", "send", "carol", bob, "7umed", "--from", carol, "--fees", "100umed")
    assert out["code"] == 0
    assert ok(node, "query", "bank", "balances", carol, "--denom", "umed") == {
        "balance": {"denom": "umed", "amount": str(int(before["balance"]["amount"]) - 107)}}


def test_query_balances_accepts_key_names(node: Node) -> None:
    by_address = ok(node, "query", "bank", "balances", key("erin").bech32())
    assert ok(node, "query", "bank", "balances", "erin", *keyring_args(node)) == by_address
    r = cli(node, "query", "bank", "balances", "nobody", *keyring_args(node))
    assert (r.exit_code, r.output) == (1, "Error: invalid address: 'nobody' is not a panacea1… address or a key name "
                                          f"(key 'nobody' not found in the test keyring ({node.home}/keyring-test))\n")
