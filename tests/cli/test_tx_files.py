"""Tx file formats (spec §2.13) and tx/query input errors that never reach a node."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from panacea.cli.panacead import main
from panacea.cli.tx import parse_consent, parse_create_deal, parse_param_change
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2, tx_pb2
from tests.cli.test_tx import ABANDON, ADDR

DEAD_NODE = "tcp://127.0.0.1:9"

DEAL = {
    "data_schema": ["https://schema.example/s.json"],
    "budget": {"denom": "umed", "amount": "1000000"},
    "max_num_data": 10,
    "consumer_address": ADDR,
    "agreement_terms": [{"id": 1, "required": True, "title": "Term 1", "description": "d1"}],
    "consumer_service_endpoint": "https://consumer.example",
}


def test_create_deal_file() -> None:
    msg = parse_create_deal(DEAL, "deal.json")
    assert msg == tx_pb2.MsgCreateDeal(
        data_schema=["https://schema.example/s.json"], budget=coin_pb2.Coin(denom="umed", amount="1000000"),
        max_num_data=10, consumer_address=ADDR, consumer_service_endpoint="https://consumer.example",
        agreement_terms=[deal_pb2.AgreementTerm(id=1, required=True, title="Term 1", description="d1")])
    pd = {"presentation_definition": base64.b64encode(b'{"id":"pd"}').decode(), "max_num_data": 1}
    assert parse_create_deal(pd, "f").presentation_definition == b'{"id":"pd"}'


@pytest.mark.parametrize(("change", "expected"), [
    ({"budget": {"denom": "umed", "amount": 1000000}}, 'f: budget.amount must be a JSON string (e.g. "1000000")'),
    ({"budget": {"denom": "umed", "amount": "1.5"}}, "f: budget.amount '1.5' is not an integer"),
    ({"max_num_data": "10"}, "f: max_num_data must be an integer"),
    ({"max_num_data": -1}, "f: max_num_data is out of range"),
    ({"data_schema": "x"}, "f: data_schema must be a list"),
    ({"presentation_definition": "!!"}, "f: presentation_definition is not valid base64"),
    ({"agreement_terms": [1]}, "f: agreement_terms must be a list of objects"),
])
def test_create_deal_file_errors(change: dict[str, object], expected: str) -> None:
    with pytest.raises(click.ClickException) as e:
        parse_create_deal({**DEAL, **change}, "f")
    assert e.value.message == expected


def test_consent_file_is_jsonpb() -> None:
    doc = {"deal_id": "3", "certificate": {"unsigned_certificate": {
        "unique_id": "u", "oracle_address": ADDR, "deal_id": 3, "provider_address": ADDR, "data_hash": "ab"},
        "signature": base64.b64encode(b"sig").decode()}, "agreements": [{"term_id": 1, "agreement": True}]}
    consent = parse_consent(doc, "c.json")
    assert consent == consent_pb2.Consent(
        deal_id=3, agreements=[consent_pb2.Agreement(term_id=1, agreement=True)],
        certificate=consent_pb2.Certificate(signature=b"sig", unsigned_certificate=consent_pb2.UnsignedCertificate(
            unique_id="u", oracle_address=ADDR, deal_id=3, provider_address=ADDR, data_hash="ab")))
    doc["agreements"] = [{"id": 1, "agreement": True}]  # the user docs' spelling: jsonpb rejects it
    with pytest.raises(click.ClickException) as e:
        parse_consent(doc, "c.json")
    assert e.value.message.startswith("c.json: ") and "id" in e.value.message


def test_param_change_file() -> None:
    proposal, deposit = parse_param_change({
        "title": "t", "description": "d", "deposit": "10000000umed",
        "changes": [{"subspace": "oracle", "key": "UniqueID", "value": "new-id"},
                    {"subspace": "gov", "key": "votingparams", "value": {"voting_period": "600000000000"}}],
    }, "p.json")
    assert deposit == "10000000umed"
    assert [(c.subspace, c.key, c.value) for c in proposal.changes] == [
        ("oracle", "UniqueID", '"new-id"'), ("gov", "votingparams", '{"voting_period":"600000000000"}')]
    assert (proposal.title, proposal.description) == ("t", "d")


def run(home: Path, *args: str) -> Result:
    keyring = ["--home", str(home), "--keyring-backend", "test"] if args[0] == "tx" else []
    return CliRunner().invoke(main, [*args, *keyring, "--node", DEAD_NODE])


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    r = CliRunner().invoke(main, ["keys", "add", "alice", "--recover", "--home", str(tmp_path), "--keyring-backend",
                                  "test"], input=ABANDON + "\n")
    assert r.exit_code == 0, r.output
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "deal.json").write_text(json.dumps({**DEAL, "consumer_address": "panacea1other"}))
    return tmp_path


def test_tx_input_errors_are_one_line(home: Path) -> None:
    cases = [
        (["tx", "bank", "send", "alice", ADDR, "5"], "Error: invalid coins '5': invalid decimal coin expression: 5\n"),
        (["tx", "bank", "send", "alice", "panacea1x", "5umed"],
         "Error: invalid recipient address: 'panacea1x' is not a panacea1… address\n"),
        (["tx", "bank", "send", "nobody", ADDR, "5umed"], "Error: key 'nobody' not found in the test keyring"),
        (["tx", "bank", "send", "alice", ADDR, "5umed", "--gas", "lots"],
         "Error: invalid --gas 'lots': expected 'auto' or a positive integer\n"),
        (["tx", "bank", "send", "alice", ADDR, "5umed", "--fees", "5uatom"],
         "Error: fees must be paid in umed, got '5uatom'\n"),
        (["tx", "bank", "send", "alice", ADDR, "5umed", "--fees", "5umed", "--gas-prices", "1umed"],
         "Error: pass either --fees or --gas-prices, not both\n"),
        (["tx", "bank", "send", "alice", ADDR, "5umed"], f"Error: cannot reach node {DEAD_NODE}: "),
        (["tx", "datadeal", "create-deal", str(home / "bad.json"), "--from", "alice"],
         f"Error: {home / 'bad.json'} is not valid JSON: "),
        (["tx", "datadeal", "create-deal", str(home / "missing.json"), "--from", "alice"],
         f"Error: file not found: {home / 'missing.json'}\n"),
        (["tx", "datadeal", "create-deal", str(home / "deal.json"), "--from", "alice"],
         f"Error: consumer_address panacea1other in {home / 'deal.json'} is not the --from account {ADDR}\n"),
        (["tx", "datadeal", "deactivate-deal", "1"], "Error: --from is required: a key name or address"),
        (["tx", "oracle", "register-oracle", "--from", "alice", "--oracle-unique-id", "u", "--node-public-key", "!",
          "--node-public-key-remote-report", "", "--trusted-block-height", "1", "--trusted-block-hash", "ab",
          "--oracle-commission-rate", "0.1", "--oracle-commission-max-rate", "0.2",
          "--oracle-commission-max-change-rate", "0.01"], "Error: node public key is not valid base64\n"),
        (["tx", "oracle", "upgrade-oracle", "--from", "alice", "--oracle-unique-id", "u", "--node-public-key", "AA==",
          "--node-public-key-remote-report", "AA==", "--trusted-block-height", "1", "--trusted-block-hash", "xyz"],
         "Error: trusted block hash is not valid hex\n"),
        (["tx", "oracle", "update-oracle-info", "--from", "alice", "--oracle-commission-rate", "abc"],
         "Error: invalid commission rate 'abc'"),
        (["tx", "gov", "deposit", "1", "lots", "--from", "alice"],
         "Error: invalid deposit 'lots': invalid decimal coin expression: lots\n"),
        (["query", "bank", "balances", "panacea1x"],
         "Error: invalid address: 'panacea1x' is not a panacea1… address\n"),
        (["query", "datadeal", "deal", "1"], f"Error: cannot reach node {DEAD_NODE}: "),
    ]
    for args, expected in cases:
        r = run(home, *args)
        assert r.exit_code == 1 and r.output.startswith(expected), (args, r.output)
        assert r.output.count("\n") == 1, r.output
