"""``dep provider provide`` against a whole loopback network (tests.client.depkit): encrypt → validate → consent per
file, the reward printed exactly, progress on stderr, and failures in one line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from panacea.crypto.jcs import data_hash
from tests.cli.depcli import PROVIDER, columns, error, network, run
from tests.client.depkit import ORACLE_ADDRESS, SCHEMA_URI, DepNet


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DepNet]:
    yield from network(tmp_path_factory, "dep-provider")


def deal(net: DepNet, *terms: str) -> int:
    out = run(net, "consumer", "create-deal", "--schema", SCHEMA_URI, "--budget", "10000", "--max-data", "3",
              "--endpoint", net.storage_url, "--from", "consumer", *terms, "-o", "json").stdout
    return int(json.loads(out)["deal_id"])


def files(tmp_path: Path, **docs: str) -> dict[str, Path]:
    out = {}
    for name, text in docs.items():
        out[name] = tmp_path / f"{name}.json"
        out[name].write_text(text)
    return out


def test_provide_prints_each_reward_and_the_total(net: DepNet, tmp_path: Path) -> None:
    d = deal(net, "--term", "share: my data", "--required", "--term", "contact")
    f = files(tmp_path, a='{"name": "a", "age": 1}', b='{"name": "b", "age": 2}')
    balance_before = json.loads(run(net, "balance", "provider", "-o", "json").stdout)["balances"][0]["amount"]
    result = run(net, "provider", "provide", str(d), str(f["a"]), str(f["b"]), "--from", "provider")
    lines = result.stdout.splitlines()
    rows = [line.split() for line in lines[1:3]]
    assert [r[:4] for r in rows] == [[str(f["a"]), data_hash(f["a"].read_bytes()), "2999umed", "333umed"],
                                     [str(f["b"]), data_hash(f["b"].read_bytes()), "2999umed", "333umed"]]
    txs = [r[4] for r in rows]
    assert result.stdout == columns(["FILE", "DATA HASH", "REWARD", "COMMISSION", "TX"],
                                    *([*r[:4], tx] for r, tx in zip(rows, txs, strict=True))) + (
        f"reward 5998umed for 2 data in deal {d} (oracle commission 666umed, fees 0umed)\n")
    assert result.stderr == f"provide 1/2: {f['a']} 2999umed\nprovide 2/2: {f['b']} 2999umed\n"
    balance_after = json.loads(run(net, "balance", "provider", "-o", "json").stdout)["balances"][0]["amount"]
    assert balance_after - balance_before == 5998
    with net.node.client() as chain:
        assert [chain.get_tx(tx).code for tx in txs] == [0, 0]  # type: ignore[union-attr]
        consent = chain.consent(d, data_hash(f["a"].read_bytes()))
    assert [(a.term_id, a.agreement) for a in consent.agreements] == [(1, True), (2, False)]


def test_provide_json_and_agreements(net: DepNet, tmp_path: Path) -> None:
    d = deal(net, "--term", "share", "--required", "--term", "contact")
    f = files(tmp_path, c='{"name": "c", "age": 3}')
    doc = json.loads(run(net, "provider", "provide", str(d), str(f["c"]), "--agree", "1,2", "--oracle",
                         ORACLE_ADDRESS, "--from", "provider", "-o", "json").stdout)
    (tx,) = [p.pop("txhash") for p in doc["provided"]]
    (height,) = [p.pop("height") for p in doc["provided"]]
    assert doc == {"deal_id": d, "provided": [{"file": str(f["c"]), "data_hash": data_hash(f["c"].read_bytes()),
                                               "oracle": ORACLE_ADDRESS, "reward_umed": 2999, "commission_umed": 333,
                                               "fee_umed": 0}],
                   "reward_umed": 2999, "commission_umed": 333, "fee_umed": 0}
    with net.node.client() as chain:
        found = chain.get_tx(tx)
        assert found is not None and found.height == height
        agreed = chain.consent(d, data_hash(f["c"].read_bytes())).agreements
    assert [(a.term_id, a.agreement) for a in agreed] == [(1, True), (2, True)]


def test_a_failure_stops_and_reports_what_was_done(net: DepNet, tmp_path: Path) -> None:
    d = deal(net)
    f = files(tmp_path, good='{"name": "g", "age": 4}', bad='{"name": "x", "age": -1}', after='{"name": "z", "age": 5}')
    assert error(net, "provider", "provide", str(d), str(f["bad"]), "--from", "provider") == (
        f"{f['bad']}: validate: failed to validate data: age: -1 is less than the minimum of 0")
    result = run(net, "provider", "provide", str(d), str(f["good"]), str(f["bad"]), str(f["after"]), "--from",
                 "provider", ok=False)
    assert result.stdout.splitlines()[-1] == f"reward 2999umed for 1 data in deal {d} (oracle commission 333umed, " \
                                             f"fees 0umed)"
    assert result.stderr.splitlines() == [f"provide 1/3: {f['good']} 2999umed", f"Error: {f['bad']}: validate: "
                                          f"failed to validate data: age: -1 is less than the minimum of 0"]
    with net.node.client() as chain:
        assert [c.certificate.unsigned_certificate.data_hash for c in chain.consents(d)] == [
            data_hash(f["good"].read_bytes())]


def test_bad_input_is_one_line(net: DepNet, tmp_path: Path) -> None:
    d = deal(net, "--term", "share", "--required")
    f = files(tmp_path, ok='{"name": "o", "age": 6}', text="not json")
    base = ["provider", "provide", str(d)]
    assert error(net, *base, str(f["ok"]), "--agree", "one", "--from", "provider") == (
        "invalid --agree 'one': term ids separated by commas, e.g. 1,2 (or none)")
    assert error(net, *base, str(f["ok"]), "--agree", "none", "--from", "provider") == (
        f"{f['ok']}: agree: term 1 of deal {d} is required: the chain pays only if you agree to it")
    assert error(net, *base, str(f["ok"]), "--agree", "2", "--from", "provider") == (
        f"{f['ok']}: agree: deal {d} has no term 2 (its terms: 1)")
    assert error(net, *base, str(f["text"]), "--from", "provider") == (
        f"{f['text']}: hash: the data is not JSON the oracle can hash: invalid JSON: Expecting value: line 1 column "
        f"1 (char 0)")
    assert error(net, *base, str(tmp_path / "missing.json"), "--from", "provider") == (
        f"file not found: {tmp_path / 'missing.json'}")
    assert error(net, *base, "--from", "provider") == (
        "nothing to provide: give FILE... or --credential VC_FILE")  # FILE is optional with --credential
    assert error(net, "provider", "provide", "999", str(f["ok"]), "--from", "provider") == (
        f"{f['ok']}: read deal: deal with ID 999 does not exist: deal is not found")
    assert error(net, *base, str(f["ok"]), "--from", "provider", "--oracle", "panacea1nope") == (
        f"{f['ok']}: choose oracle: decoding bech32 failed: invalid separator index 7: error while getting a oracle")
    assert PROVIDER  # the module's provider has a public key on chain (depcli.network)
