"""`panacead init` and `panacead genesis …` on a real home directory (no node running)."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from panacea.cli.panacead import main
from panacea.crypto.keys import PrivateKey

ABANDON = "abandon " * 11 + "about"
ABANDON_ADDR = "panacea16q6g46va64az2gvgsykqzhmp7gvzmqw28qngsc"
OTHER = PrivateKey(hashlib.sha256(b"other").digest())
ORACLE_KEY = PrivateKey(bytes([7]) * 32)


def run(home: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, [*args, "--home", str(home)], input=input)


def genesis(home: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((home / "config" / "genesis.json").read_text())  # type: ignore[no-any-return]


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    h = tmp_path / "node"
    r = run(h, "init", "val0", "--chain-id", "panacea-test")
    assert r.exit_code == 0, r.output
    r = run(h, "keys", "add", "alice", "--recover", "--keyring-backend", "test", input=ABANDON + "\n")
    assert r.exit_code == 0, r.output
    return h


def test_init_writes_a_cometbft_home(home: Path) -> None:
    from panacea.chain.app import App
    from panacea.chain.store import Store

    doc = genesis(home)
    assert list(doc) == ["genesis_time", "chain_id", "initial_height", "consensus_params", "validators", "app_hash",
                         "app_state"]
    assert doc["chain_id"] == "panacea-test"
    assert doc["initial_height"] == "1"
    assert doc["app_hash"] == ""
    assert doc["genesis_time"].endswith("Z") and doc["genesis_time"][10] == "T"
    assert doc["consensus_params"] == {
        "block": {"max_bytes": "22020096", "max_gas": "-1"},
        "evidence": {"max_age_num_blocks": "100000", "max_age_duration": "172800000000000", "max_bytes": "1048576"},
        "validator": {"pub_key_types": ["ed25519"]},
        "version": {"app": "0"},
        "abci": {"vote_extensions_enable_height": "0"},
    }
    pv = json.loads((home / "config" / "priv_validator_key.json").read_text())
    pub = base64.b64decode(pv["pub_key"]["value"])
    assert pv["pub_key"]["type"] == "tendermint/PubKeyEd25519"
    assert pv["priv_key"]["type"] == "tendermint/PrivKeyEd25519"
    assert base64.b64decode(pv["priv_key"]["value"])[32:] == pub
    assert pv["address"] == hashlib.sha256(pub).digest()[:20].hex().upper()
    assert doc["validators"] == [{"address": pv["address"], "pub_key": pv["pub_key"], "power": "10", "name": "val0"}]
    assert json.loads((home / "data" / "priv_validator_state.json").read_text()) == {"height": "0", "round": 0,
                                                                                     "step": 0}
    node_key = json.loads((home / "config" / "node_key.json").read_text())
    assert len(base64.b64decode(node_key["priv_key"]["value"])) == 64
    assert (home / "config" / "app.toml").read_text().startswith("# Panacea node settings")
    with Store(str(home / "scratch")) as store:
        assert doc["app_state"] == App(store).default_genesis()


def test_cometbft_reads_the_keys(home: Path) -> None:
    from panacea.node.abci.comet import cometbft_binary

    cometbft = cometbft_binary()  # the real binary (scripts/install_cometbft.sh); missing = a failure
    pv = json.loads((home / "config" / "priv_validator_key.json").read_text())
    out = subprocess.run([cometbft, "show-validator", "--home", str(home)], capture_output=True, text=True,
                         check=True).stdout
    assert json.loads(out) == pv["pub_key"]
    init_out = json.loads(run(home, "init", "val0", "--chain-id", "x", "--overwrite").output)
    node_id = subprocess.run([cometbft, "show-node-id", "--home", str(home)], capture_output=True, text=True,
                             check=True).stdout.strip()
    assert node_id == init_out["node_id"]


def test_init_refuses_to_overwrite_and_keeps_keys(home: Path) -> None:
    pv_before = (home / "config" / "priv_validator_key.json").read_text()
    r = run(home, "init", "val0", "--chain-id", "other")
    assert (r.exit_code, r.output) == (
        1, f"Error: genesis.json file already exists: {home / 'config' / 'genesis.json'} (use --overwrite)\n")
    r = run(home, "init", "val1", "--chain-id", "other", "--overwrite")
    assert r.exit_code == 0, r.output
    assert genesis(home)["chain_id"] == "other"
    assert (home / "config" / "priv_validator_key.json").read_text() == pv_before
    assert json.loads(r.output)["validator_address"] == json.loads(pv_before)["address"]


def test_add_account_by_key_name_and_address(home: Path) -> None:
    r = run(home, "genesis", "add-account", "alice", "1000umed,5uatom", "--keyring-backend", "test")
    assert r.exit_code == 0, r.output
    r = run(home, "genesis", "add-account", OTHER.bech32(), "250umed")
    assert r.exit_code == 0, r.output
    bank = genesis(home)["app_state"]["bank"]
    assert bank["balances"][-2:] == [
        {"address": ABANDON_ADDR, "coins": [{"denom": "uatom", "amount": "5"}, {"denom": "umed", "amount": "1000"}]},
        {"address": OTHER.bech32(), "coins": [{"denom": "umed", "amount": "250"}]},
    ]
    assert bank["supply"] == [{"denom": "uatom", "amount": "5"}, {"denom": "umed", "amount": "1250"}]
    assert genesis(home)["app_state"]["auth"]["accounts"][-2:] == [  # as the SDK's add-genesis-account writes
        {"@type": "/cosmos.auth.v1beta1.BaseAccount", "address": a, "pub_key": None, "account_number": "0",
         "sequence": "0"} for a in (ABANDON_ADDR, OTHER.bech32())]


@pytest.mark.parametrize(("args", "expected"), [
    (["alice", "1000umed"], f"Error: cannot add account at existing address {ABANDON_ADDR}\n"),
    (["bob", "1umed"], "Error: key 'bob' not found in the test keyring"),
    (["alice", "5"], "Error: invalid decimal coin expression: 5\n"),
    (["alice", "0umed"], "Error: no coins to add: '0umed'\n"),
    (["panacea1qqqq", "1umed"], "Error: invalid address (decoding bech32 failed"),
])
def test_add_account_errors(home: Path, args: list[str], expected: str) -> None:
    assert run(home, "genesis", "add-account", "alice", "1000umed", "--keyring-backend", "test").exit_code == 0
    r = run(home, "genesis", "add-account", *args, "--keyring-backend", "test")
    assert r.exit_code == 1 and r.output.startswith(expected), r.output


def test_genesis_is_read_only_once_the_chain_has_blocks(home: Path) -> None:
    from panacea.chain.store import Store
    from panacea.node.home import Home

    with Store(str(Home(home).app_db)) as store:  # the state a node leaves after its first block
        store.commit({b"bank/x": b"1"}, 1)
    before = (home / "config" / "genesis.json").read_bytes()
    for args in (["add-account", OTHER.bech32(), "1umed"], ["add-validator-voter", OTHER.bech32(), "1"]):
        r = run(home, "genesis", *args)
        assert (r.exit_code, r.output) == (1, (
            f"Error: the chain in {home} has already started (height 1): genesis is read only at the first block, "
            "so this change would never apply; send a tx instead, or start over with a new home\n"))
    assert (home / "config" / "genesis.json").read_bytes() == before


def test_genesis_commands_need_a_home(tmp_path: Path) -> None:
    r = run(tmp_path / "none", "genesis", "add-account", OTHER.bech32(), "1umed")
    assert (r.exit_code, r.output) == (
        1, f"Error: no genesis at {tmp_path / 'none' / 'config' / 'genesis.json'}; run `panacead init` first\n")
    r = run(tmp_path / "none", "start")
    assert (r.exit_code, r.output) == (
        1, f"Error: no genesis at {tmp_path / 'none' / 'config' / 'genesis.json'}; run `panacead init` first\n")


def test_add_genesis_oracle_with_key_file(home: Path, tmp_path: Path) -> None:
    key_file = tmp_path / "oracle_pub_key.json"
    pub = ORACLE_KEY.public_key().to_base64()
    key_file.write_text(json.dumps({"public_key_base64": pub, "remote_report_base64": "cmVwb3J0"}))
    r = run(home, "genesis", "add-genesis-oracle", "alice", "uid-1", "--endpoint", "https://oracle.example",
            "--oracle-commission-rate", "0.2", "--oracle-key-file", str(key_file), "--keyring-backend", "test")
    assert r.exit_code == 0, r.output
    oracle = genesis(home)["app_state"]["oracle"]
    assert oracle["oracles"] == [{
        "oracle_address": ABANDON_ADDR, "unique_id": "uid-1", "endpoint": "https://oracle.example",
        "update_time": "0001-01-01T00:00:00Z", "oracle_commission_rate": "0.200000000000000000",
        "oracle_commission_max_rate": "0.300000000000000000",
        "oracle_commission_max_change_rate": "0.010000000000000000",
    }]
    assert oracle["params"] == {"signature_digest": "sha256", "oracle_public_key": pub,
                                "oracle_pub_key_remote_report": "cmVwb3J0", "unique_id": "uid-1"}
    r = run(home, "genesis", "add-genesis-oracle", "--oracle-account", OTHER.bech32(), "--oracle-unique-id", "uid-1",
            "--oracle-public-key", pub, "--signature-digest", "legacy")
    assert r.exit_code == 0, r.output
    oracle = genesis(home)["app_state"]["oracle"]
    assert [o["oracle_address"] for o in oracle["oracles"]] == [ABANDON_ADDR, OTHER.bech32()]
    assert oracle["params"]["signature_digest"] == "legacy"
    assert oracle["params"]["oracle_pub_key_remote_report"] == "cmVwb3J0"


def test_add_genesis_oracle_errors(home: Path, tmp_path: Path) -> None:
    ok = ["--keyring-backend", "test"]
    assert run(home, "genesis", "add-genesis-oracle", "alice", "u", *ok).exit_code == 0
    before = genesis(home)
    (tmp_path / "bad.json").write_text("{")
    cases = [
        (["alice", "u"], f"Error: oracle {ABANDON_ADDR} already exists in genesis\n"),
        ([], "Error: empty oracle address or key. please enter a valid oracle account\n"),
        ([OTHER.bech32()], "Error: empty unique ID: pass UNIQUE_ID or --oracle-unique-id\n"),
        ([OTHER.bech32(), "u", "--oracle-public-key", "!!"], "Error: oracle public key is not valid base64\n"),
        ([OTHER.bech32(), "u", "--oracle-public-key", "AAAA"], "Error: invalid oracle genesis: "),
        ([OTHER.bech32(), "u", "--oracle-commission-rate", "x"], "Error: invalid commission rate 'x'"),
        ([OTHER.bech32(), "u", "--oracle-commission-rate", "0.5"], "Error: invalid oracle genesis: "),
        ([OTHER.bech32(), "u", "--oracle-key-file", str(tmp_path / "bad.json")],
         f"Error: {tmp_path / 'bad.json'} is not valid JSON"),
    ]
    for args, expected in cases:
        r = run(home, "genesis", "add-genesis-oracle", *args, *ok)
        assert r.exit_code == 1 and r.output.startswith(expected), (args, r.output)
        assert "\n" not in r.output.rstrip("\n")
    assert genesis(home) == before


def test_add_validator_voter_and_validate(home: Path) -> None:
    r = run(home, "genesis", "add-validator-voter", "alice", "7", "--keyring-backend", "test")
    assert r.exit_code == 0, r.output
    assert genesis(home)["app_state"]["gov"]["validators"] == [{"address": ABANDON_ADDR, "power": "7"}]
    r = run(home, "genesis", "add-validator-voter", "alice", "7", "--keyring-backend", "test")
    assert (r.exit_code, r.output) == (1, f"Error: validator {ABANDON_ADDR} already in genesis\n")
    r = run(home, "genesis", "validate")
    assert (r.exit_code, r.output) == (0, f"File at {home / 'config' / 'genesis.json'} is a valid genesis file\n")
    doc = genesis(home)
    doc["app_state"]["datadeal"]["next_deal_number"] = "x"
    (home / "config" / "genesis.json").write_text(json.dumps(doc))
    r = run(home, "genesis", "validate")
    assert r.exit_code == 1 and r.output.startswith("Error: ") and r.output.count("\n") == 1
