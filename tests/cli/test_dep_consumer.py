"""``dep consumer …`` against a whole loopback network (tests.client.depkit): each command's text and JSON, the
fetch resumed, and bad input answered in one line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from panacea.client.dep import Provider
from panacea.crypto.jcs import data_hash
from tests.cli.depcli import CONSUMER, PROVIDER, columns, error, network, run
from tests.client.depkit import ORACLE_ADDRESS, SCHEMA_URI, DepNet

RECORDS = [b'{"name": "alice", "age": 30}', b'{"name": "bob", "age": 41}']


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DepNet]:
    yield from network(tmp_path_factory, "dep-consumer")


def create(net: DepNet, *args: str) -> int:
    out = run(net, "consumer", "create-deal", "--budget", "10000umed", "--max-data", "3", "--endpoint",
              net.storage_url, "--from", "consumer", *args).stdout
    assert out.startswith("created deal ") and out.endswith("\n")
    return int(out.removeprefix("created deal "))


def provide(net: DepNet, deal: int, records: list[bytes]) -> list[str]:
    with net.node.client() as chain, Provider(chain, PROVIDER) as p:
        return [p.provide(deal, raw).data_hash for raw in records]


def test_create_deal_with_terms_in_order(net: DepNet) -> None:
    deal = create(net, "--schema", SCHEMA_URI, "--term", "share: my record, for research", "--required",
                  "--term", "contact", "--term", "publish: in a paper", "--required")
    with net.node.client() as chain:
        d = chain.deal(deal)
    assert list(d.data_schema) == [SCHEMA_URI] and d.consumer_address == CONSUMER.bech32()
    assert (d.budget.denom, d.budget.amount, d.max_num_data, d.consumer_service_endpoint) == (
        "umed", "10000", 3, net.storage_url)
    assert [(t.id, t.title, t.description, t.required) for t in d.agreement_terms] == [
        (1, "share", "my record, for research", True), (2, "contact", "contact", False),
        (3, "publish", "in a paper", True)]
    out = run(net, "consumer", "create-deal", "--schema", SCHEMA_URI, "--budget", "0.01med", "--max-data", "2",
              "--endpoint", net.storage_url, "--from", "consumer", "-o", "json").stdout
    with net.node.client() as chain:
        assert chain.deal(json.loads(out)["deal_id"]).budget.amount == "10000"
    assert json.loads(out) == {"deal_id": deal + 1}


def test_schema_files_and_presentation_definitions(net: DepNet, tmp_path: Path) -> None:
    schema = tmp_path / "person.json"
    schema.write_text(json.dumps({"$id": "https://example.org/person.json", "type": "object"}))
    pd = tmp_path / "pd.json"
    pd.write_bytes(b'{"id": "pd", "input_descriptors": [{"id": "d", "schema": [{"uri": "https://example.org/C"}]}]}')
    by_file, by_pd = create(net, "--schema", str(schema)), create(net, "--presentation-definition", str(pd))
    with net.node.client() as chain:
        assert list(chain.deal(by_file).data_schema) == ["https://example.org/person.json"]
        assert chain.deal(by_pd).presentation_definition == pd.read_bytes()
    (tmp_path / "no-id.json").write_text('{"type": "object"}')
    (tmp_path / "broken.json").write_text('{"$id": "https://example.org/b.json", "type": 5}')
    base = ["consumer", "create-deal", "--budget", "1", "--max-data", "1", "--endpoint", "x", "--from", "consumer"]
    assert error(net, *base, "--schema", "file:///etc/schema.json") == (
        "--schema file:///etc/schema.json: oracles do not read file:// schemas; publish the schema at an https URI "
        "(or register it: oracled schema add URI FILE) and give that URI, or the file with that URI as its $id")
    assert error(net, *base, "--schema", "person") == "--schema person: no such file, and not a URI (https://…)"
    assert error(net, *base, "--schema", str(tmp_path / "no-id.json")) == (
        f"--schema {tmp_path / 'no-id.json'}: a schema file needs its http(s) URI as \"$id\" (the deal records the "
        f"URI; oracles resolve it)")
    assert error(net, *base, "--schema", str(tmp_path / "broken.json")).startswith(
        f"--schema {tmp_path / 'broken.json'}: not a usable JSON Schema: ")
    assert error(net, *base, "--presentation-definition", str(schema.with_name("none.json"))) == (
        f"file not found: {tmp_path / 'none.json'}")


def test_bad_input_is_one_line(net: DepNet) -> None:
    base = ["consumer", "create-deal", "--endpoint", "x", "--from", "consumer"]
    see = "(see 'dep consumer create-deal --help')"
    assert error(net, *base, "--budget", "1x", "--max-data", "1") == (
        "invalid --budget '1x': an amount of umed (10000 or 10000umed) or of MED (0.01med)")
    assert error(net, *base, "--budget", "0.0000001med", "--max-data", "1") == (
        "invalid --budget '0.0000001med': finer than 1umed (0.000001med)")
    assert error(net, *base, "--budget", "1", "--max-data", "1", "--required", "--term", "t") == (
        f"--required marks the --term before it: give the --term first {see}")
    assert error(net, *base, "--max-data", "1") == f"Missing option '--budget' {see}"
    assert error(net, *base, "--budget", "1", "--max-data", "x") == (
        f"Invalid value for '--max-data': 'x' is not a valid integer {see}")
    assert error(net, *base, "--budget", "1", "--max-data", "0", "--schema", SCHEMA_URI) == (
        "create deal: max num of data is negative number: invalid request")
    assert error(net, "consumer", "create-deal", "--budget", "1", "--max-data", "1", "--endpoint", "x",
                 "--schema", SCHEMA_URI) == "--from is required: a key name or address from the keyring"
    assert error(net, *base, "--budget", "1", "--max-data", "1", "--schema", SCHEMA_URI, "--from", "nobody") == (
        f"key 'nobody' not found in the test keyring ({net.node.home / 'keyring-test'})")
    assert error(net, "consumer", "status", "999", keys=False) == (
        "read deal: deal with ID 999 does not exist: deal is not found")
    assert error(net, "consumer", "fetch", "abc", "--out", "x") == (
        "Invalid value for 'DEAL': 'abc' is not a valid integer (see 'dep consumer fetch --help')")


def test_status_text_and_json(net: DepNet) -> None:
    deal = create(net, "--schema", SCHEMA_URI, "--term", "share: my data", "--required", "--term", "contact")
    hashes = sorted(provide(net, deal, RECORDS))
    head = columns(["deal", f"{deal} ACTIVE"], ["data", "2 of 3"], ["budget", "10000umed (3333umed per datum)"],
                   ["escrow", "3336umed left"], ["consumer", CONSUMER.bech32()], ["requires", SCHEMA_URI],
                   ["terms", "1 share (required), 2 contact"], ["storage", net.storage_url], ["consents", "2"])
    consents = columns(["DATA HASH", "PROVIDER", "ORACLE"], *([h, PROVIDER.bech32(), ORACLE_ADDRESS] for h in hashes))
    assert run(net, "consumer", "status", str(deal), keys=False).stdout == head + "\n" + consents
    assert json.loads(run(net, "consumer", "status", str(deal), "--output", "json", keys=False).stdout) == {
        "deal_id": deal, "status": "ACTIVE", "cur_num_data": 2, "max_num_data": 3, "budget_umed": 10000,
        "price_per_data_umed": 3333, "consumer": CONSUMER.bech32(), "data_schema": [SCHEMA_URI],
        "presentation_definition": None, "consumer_service_endpoint": net.storage_url, "escrow_umed": 3336,
        "agreement_terms": [{"id": 1, "title": "share", "description": "my data", "required": True},
                            {"id": 2, "title": "contact", "description": "contact", "required": False}],
        "consents": [{"data_hash": h, "provider": PROVIDER.bech32(), "oracle": ORACLE_ADDRESS} for h in hashes]}


def test_fetch_decrypts_verifies_and_resumes(net: DepNet, tmp_path: Path) -> None:
    deal = create(net, "--schema", SCHEMA_URI)
    hashes = sorted(provide(net, deal, RECORDS))
    out = tmp_path / "out"
    first = run(net, "consumer", "fetch", str(deal), "--out", str(out), "--from", "consumer")
    files = [str(out / f"{h}.json") for h in hashes]
    rows = ([h, f, "fetched"] for h, f in zip(hashes, files, strict=True))
    assert first.stdout == columns(["DATA HASH", "FILE", ""], *rows) + f"2 data in {out}: 2 fetched, 0 already there\n"
    assert first.stderr == "".join(f"fetch {i}/2: {h} fetched\n" for i, h in enumerate(hashes, 1))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {f"{data_hash(r)}.json": r for r in RECORDS}

    (out / f"{hashes[1]}.json").write_bytes(b'{"name": "tampered"}')  # not the datum: fetched again
    again = run(net, "consumer", "fetch", str(deal), "--out", str(out), "--from", "consumer", "-o", "json")
    assert json.loads(again.stdout) == {"deal_id": deal, "out_dir": str(out), "fetched": [hashes[1]],
                                        "kept": [hashes[0]]}
    third = run(net, "consumer", "fetch", str(deal), "--out", str(out), "--from", "consumer")
    assert third.stdout.endswith(f"2 data in {out}: 0 fetched, 2 already there\n")
    assert third.stderr == "".join(f"fetch {i}/2: {h} kept\n" for i, h in enumerate(hashes, 1))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {f"{data_hash(r)}.json": r for r in RECORDS}
    assert json.loads(run(net, "consumer", "fetch", str(deal), "--out", str(out), "--no-resume", "--from", "consumer",
                          "-o", "json").stdout)["fetched"] == hashes
    assert error(net, "consumer", "fetch", str(deal), "--out", str(out), "--from", "provider") == (
        f"read deal: deal {deal} is {CONSUMER.bech32()}'s, not this key's ({PROVIDER.bech32()})")


def test_fetch_of_an_empty_deal(net: DepNet, tmp_path: Path) -> None:
    deal = create(net, "--schema", SCHEMA_URI)
    result = run(net, "consumer", "fetch", str(deal), "--out", str(tmp_path), "--from", "consumer")
    assert (result.stdout, result.stderr) == (f"0 data in {tmp_path}: 0 fetched, 0 already there\n", "")


def test_deactivate_refunds(net: DepNet) -> None:
    deal = create(net, "--schema", SCHEMA_URI)
    provide(net, deal, RECORDS[:1])
    assert run(net, "consumer", "deactivate", str(deal), "--from", "consumer").stdout == (
        f"deactivated deal {deal}: 6668umed refunded to {CONSUMER.bech32()}\n")
    assert error(net, "consumer", "deactivate", str(deal), "--from", "consumer") == (
        "deactivate deal: failed to execute message; message index: 0: deal's status is not 'ACTIVE': error while "
        "deactivate deal")
    other = create(net, "--schema", SCHEMA_URI)
    assert json.loads(run(net, "consumer", "deactivate", str(other), "--from", "consumer", "-o", "json").stdout) == {
        "deal_id": other, "refund_umed": 10000}
