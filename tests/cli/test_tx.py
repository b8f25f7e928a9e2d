"""Deal, consent and proposal files as `panacead tx` reads them: key styles, unknown fields, and bad input
reported about the input (never a Python message) — all decided before a node is asked."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from panacea.cli.panacead import main
from panacea.cli.tx import parse_consent, parse_create_deal
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2

ABANDON = "abandon " * 11 + "about"
ADDR = "panacea16q6g46va64az2gvgsykqzhmp7gvzmqw28qngsc"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LEAKS = ("Traceback", "not iterable", "set_int_max_str_digits", "codec can't decode", "Error:", "int()", "len()")


def test_camel_case_and_snake_case_deals_are_the_same() -> None:
    snake = json.loads((EXAMPLES / "deal.json").read_text())
    camel = {"dataSchema": snake["data_schema"], "budget": snake["budget"], "maxNumData": 3,
             "agreementTerms": snake["agreement_terms"], "consumerServiceEndpoint": snake["consumer_service_endpoint"]}
    msg = parse_create_deal(camel, "d.json")
    assert msg.max_num_data == 3
    assert msg == parse_create_deal({**snake, "max_num_data": 3}, "d.json")
    assert list(msg.agreement_terms) == [deal_pb2.AgreementTerm(
        id=1, required=True, title="Data sharing", description="My data is shared with the consumer for research.")]


@pytest.mark.parametrize(("doc", "expected"), [
    ({"max_data": 3}, "d.json: unknown field 'max_data' (known: data_schema, budget, max_num_data, "
                      "consumer_address, agreement_terms, presentation_definition, consumer_service_endpoint)"),
    ({"budget": {"denom": "umed", "amt": "1"}}, "d.json: unknown field 'budget.amt' (known: denom, amount)"),
    ({"agreement_terms": [{"id": 1, "name": "x"}]},
     "d.json: unknown field 'agreement_terms[0].name' (known: id, required, title, description)"),
    ({"max_num_data": 1, "maxNumData": 2},
     "d.json: field max_num_data is given twice (as max_num_data and maxNumData)"),
    ({"max_num_data": 1.5}, "d.json: max_num_data must be an integer"),
    ({"budget": {"denom": "umed", "amount": "9" * 5000}}, f"d.json: budget.amount {'9' * 40!r} is not an integer"),
    ([], "d.json: must hold a JSON object"),
])
def test_deal_file_errors_name_the_field(doc: object, expected: str) -> None:
    with pytest.raises(click.ClickException) as e:
        parse_create_deal(doc, "d.json")
    assert e.value.message == expected


def test_example_consent_parses_in_both_styles() -> None:
    doc = json.loads((EXAMPLES / "consent.json").read_text())
    consent = parse_consent(doc, "c.json")
    assert consent.deal_id == 1 and consent.agreements[0] == consent_pb2.Agreement(term_id=1, agreement=True)
    camel = {"dealId": "1", "certificate": {"unsignedCertificate": {
        "uniqueId": doc["certificate"]["unsigned_certificate"]["unique_id"],
        "oracleAddress": doc["certificate"]["unsigned_certificate"]["oracle_address"], "dealId": 1,
        "providerAddress": doc["certificate"]["unsigned_certificate"]["provider_address"],
        "dataHash": doc["certificate"]["unsigned_certificate"]["data_hash"]},
        "signature": doc["certificate"]["signature"]}, "agreements": [{"termId": 1, "agreement": True}]}
    assert parse_consent(camel, "c.json") == consent


@pytest.mark.parametrize(("doc", "expected"), [
    ({"deal_id": [1]}, "c.json: deal_id must be an integer (a number or a string of digits)"),
    ({"deal_id": "x"}, "c.json: deal_id must be an integer (a number or a string of digits)"),
    ({"deal_id": True}, "c.json: deal_id must be an integer (a number or a string of digits)"),
    ({"deal_id": -1}, "c.json: deal_id is out of range for an unsigned 64-bit integer"),
    ({"deal_id": 2**64}, "c.json: deal_id is out of range for an unsigned 64-bit integer"),
    ({"agreements": 1}, "c.json: agreements must be a list"),
    ({"agreements": [1]}, "c.json: agreements[0] must be a JSON object"),
    ({"agreements": [{"termId": "a"}]}, "c.json: agreements[0].term_id must be an integer (a number or a string "
                                        "of digits)"),
    ({"agreements": [{"term_id": 1, "agreement": "yes"}]}, "c.json: agreements[0].agreement must be true or false"),
    ({"certificate": {"signature": 5}}, "c.json: certificate.signature must be a base64 string"),
    ({"certificate": {"unsigned_certificate": {"data_hash": 5}}},
     "c.json: certificate.unsigned_certificate.data_hash must be a string"),
    ({"certificate": []}, "c.json: certificate must be a JSON object"),
    ({"maxNumData": 3}, "c.json: unknown field 'maxNumData' (known: deal_id, certificate, agreements)"),
    ("s", "c.json: must hold a JSON object"),
])
def test_consent_type_errors_name_the_path(doc: object, expected: str) -> None:
    with pytest.raises(click.ClickException) as e:
        parse_consent(doc, "c.json")
    assert e.value.message == expected


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    r = CliRunner().invoke(main, ["keys", "add", "alice", "--recover", "--home", str(tmp_path), "--keyring-backend",
                                  "test"], input=ABANDON + "\n")
    assert r.exit_code == 0, r.output
    return tmp_path


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--home", str(home), "--keyring-backend", "test",
                                     "--node", "tcp://127.0.0.1:9"])


BAD_FILES: dict[str, bytes] = {
    "latin1.json": '{"title": "café"}'.encode("latin-1"),
    "digits.json": b'{"deal_id": ' + b"7" * 5000 + b"}",
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "deep-ok-for-json.json": b'{"a":' * 200 + b"1" + b"}" * 200,
}
BAD_EXPECTED = {
    "latin1.json": "Error: {f} is not UTF-8 text (invalid byte at offset 14)\n",
    "digits.json": "Error: {f} is not usable JSON: a number has 5000 digits (at most 100)\n",
    "deep.json": "Error: {f} is not usable JSON: nested deeper than 64 levels\n",
    "deep-ok-for-json.json": "Error: {f} is not usable JSON: nested deeper than 64 levels\n",
}
FILE_COMMANDS = [
    ["tx", "datadeal", "create-deal", "{f}", "--from", "alice"],
    ["tx", "datadeal", "submit-consent", "{f}", "--from", "alice"],
    ["tx", "gov", "submit-proposal", "param-change", "{f}", "--from", "alice"],
    ["genesis", "add-genesis-oracle", "alice", "uid", "--oracle-key-file", "{f}"],
]


@pytest.mark.parametrize("name", list(BAD_FILES))
@pytest.mark.parametrize("command", FILE_COMMANDS, ids=[" ".join(c[:3]) for c in FILE_COMMANDS])
def test_bad_files_are_reported_about_the_file(home: Path, name: str, command: list[str]) -> None:
    f = home / name
    f.write_bytes(BAD_FILES[name])
    if command[0] == "genesis":
        assert CliRunner().invoke(main, ["init", "n", "--chain-id", "c", "--home", str(home)]).exit_code == 0
    args = [a.format(f=f) for a in command]
    keyring = ["--home", str(home), "--keyring-backend", "test"]
    r = run(home, *args) if command[0] == "tx" else CliRunner().invoke(main, [*args, *keyring])
    assert (r.exit_code, r.output) == (1, BAD_EXPECTED[name].format(f=f))


@pytest.mark.parametrize(("doc", "expected"), [
    ({"title": [1], "changes": []}, "p.json: title and description must be strings"),
    ({"changes": [], "colour": 1}, "p.json: unknown field 'colour' (known: title, description, changes, deposit)"),
    ({"changes": [{"subspace": "oracle", "key": "UniqueID", "value": "x", "extra": 1}]},
     "p.json: each change needs string subspace and key, and a value"),
    ({"changes": 1}, "p.json: changes must be a list"),
])
def test_wrong_json_types_in_a_proposal_file(home: Path, doc: object, expected: str) -> None:
    (home / "p.json").write_text(json.dumps(doc))
    r = run(home, "tx", "gov", "submit-proposal", "param-change", str(home / "p.json"), "--from", "alice")
    assert (r.exit_code, r.output) == (1, f"Error: {home}/{expected}\n")


def test_wrong_types_through_the_cli_never_leak_python(home: Path) -> None:
    cases = {
        "create-deal": ['{"agreement_terms": 5}', '{"budget": [1]}', '{"data_schema": [{}]}',
                        '{"max_num_data": 1e400}'],
        "submit-consent": ['{"agreements": [[1]]}', '{"certificate": {"signature": [1]}}', '{"deal_id": {}}'],
    }
    for command, docs in cases.items():
        for doc in docs:
            (home / "f.json").write_text(doc)
            r = run(home, "tx", "datadeal", command, str(home / "f.json"), "--from", "alice")
            assert r.exit_code == 1 and r.output.startswith(f"Error: {home}/f.json: "), (doc, r.output)
            assert r.output.count("\n") == 1 and not any(leak in r.output[7:] for leak in LEAKS), (doc, r.output)
