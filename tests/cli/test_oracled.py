"""`oracled`: init, gen-oracle-key (whose file `panacead genesis add-genesis-oracle` reads), schema, start."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from panacea.cli import oracled, panacead
from panacea.crypto.keys import PublicKey
from panacea.oracle.app import HOME_ENV
from panacea.oracle.enclave import report_data_for
from panacea.oracle.home import OracleHome
from panacea.service import http


def _run(home: Path, *args: str, input: str | None = None) -> tuple[int, str]:
    r = CliRunner().invoke(oracled.main, ["--home", str(home), *args], input=input)
    return r.exit_code, r.output


def test_init_twice(tmp_path: Path) -> None:
    assert _run(tmp_path / "o", "init", "--chain-id", "test") == (0, f"initialised oracle home {tmp_path / 'o'}\n")
    assert 'chain-id = "test"' in (tmp_path / "o" / "config.toml").read_text()
    assert _run(tmp_path / "o", "init") == (1, f"Error: home dir({tmp_path / 'o'}) already exists\n")
    assert _run(tmp_path / "p", "init", "--rpc-addr", "ftp://x") == (
        1, "Error: invalid config panacea.rpc-addr: must be tcp://, http:// or https:// host:port\n")


def test_gen_oracle_key_feeds_add_genesis_oracle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "o"
    _run(home, "init", "--chain-id", "test")
    code, out = _run(home, "gen-oracle-key")
    assert code == 0, out
    doc = json.loads((home / "oracle_pub_key.json").read_text())
    assert sorted(doc) == ["public_key_base64", "remote_report_base64"]
    pub = PublicKey.from_base64(doc["public_key_base64"])
    oh = OracleHome(home)
    enclave = oh.open_enclave()
    uid = enclave.identity().unique_id
    enclave.verify_report(base64.b64decode(doc["remote_report_base64"]), report_data_for(pub), uid)
    assert oh.oracle_key(enclave).public_key == pub
    assert f"unique ID: {uid.hex()}\n" in out
    assert _run(home, "unique-id") == (0, uid.hex() + "\n")
    # asked before overwriting (on a terminal); "n" keeps the key
    monkeypatch.setattr(oracled, "_terminal", lambda: True)
    code, out = _run(home, "gen-oracle-key", input="n\n")
    assert code == 1 and "oracle_priv_key.sealed already exists. Overwrite it?" in out
    assert oh.oracle_key(enclave).public_key == pub
    monkeypatch.undo()

    chain = tmp_path / "chain"
    runner = CliRunner()
    assert runner.invoke(panacead.main, ["init", "n", "--chain-id", "test", "--home", str(chain)]).exit_code == 0
    oracle_addr = pub.bech32()
    r = runner.invoke(panacead.main, ["genesis", "add-genesis-oracle", oracle_addr, uid.hex(), "--oracle-key-file",
                                      str(home / "oracle_pub_key.json"), "--home", str(chain)])
    assert r.exit_code == 0, r.output
    params = json.loads((chain / "config" / "genesis.json").read_text())["app_state"]["oracle"]["params"]
    assert (params["oracle_public_key"], params["oracle_pub_key_remote_report"], params["unique_id"]) == (
        doc["public_key_base64"], doc["remote_report_base64"], uid.hex())


def test_schema_add_and_list(tmp_path: Path) -> None:
    home = tmp_path / "o"
    _run(home, "init")
    schema = tmp_path / "s.json"
    schema.write_text('{"type": "object"}')
    code, out = _run(home, "schema", "add", "https://s.test/a.json", str(schema))
    assert code == 0 and out.startswith("https://s.test/a.json sha256:")
    digest = out.split("sha256:")[1].strip()
    assert _run(home, "schema", "list") == (0, f"https://s.test/a.json sha256:{digest} added\n")
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": 1}')
    code, out = _run(home, "schema", "add", "https://s.test/b.json", str(bad))
    assert code == 1 and out.startswith("Error: the data schema does not compile: ")
    assert _run(home, "schema", "add", "u", str(tmp_path / "none.json")) == (
        1, f"Error: cannot read {tmp_path / 'none.json'}: No such file or directory\n")


def test_start_checks_the_home_then_serves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "o"
    assert _run(home, "start") == (1, f"Error: no config.toml in {home}: run oracled init\n")
    _run(home, "init")
    assert _run(home, "start") == (
        1, "Error: the oracle private key is not exists: run oracled gen-oracle-key (genesis oracle)\n")
    _run(home, "gen-oracle-key")
    served: list[tuple[object, ...]] = []
    monkeypatch.setenv(HOME_ENV, "")  # start sets it for its workers; restored after the test
    monkeypatch.setattr(http, "serve", lambda *a, **kw: served.append((*a, kw)))
    mnemonic = "abandon " * 23 + "art"
    config = (home / "config.toml").read_text()
    (home / "config.toml").write_text(config.replace("26657", "9"))  # no node there
    r = CliRunner().invoke(oracled.main, ["--home", str(home), "start"], env={"ORACLE_MNEMONIC": mnemonic})
    assert (r.exit_code, r.output) == (1, "Error: cannot reach node tcp://127.0.0.1:9: [Errno 111] Connection refused "
                                          "(panacea.rpc-addr in config.toml)\n")
    assert served == []  # nothing served before the chain reads work (tests/oracle/test_workers.py serves)
    (home / "config.toml").write_text(config.replace("enabled = true", "enabled = false", 1))
    r = CliRunner().invoke(oracled.main, ["--home", str(home), "start"], env={"ORACLE_MNEMONIC": mnemonic})
    assert (r.exit_code, r.output) == (1, "Error: the HTTP API is disabled (api.enabled = false): nothing to serve\n")


def test_home_may_follow_the_command_and_no_prompt_without_a_terminal(tmp_path: Path) -> None:
    home = tmp_path / "o"
    r = CliRunner().invoke(oracled.main, ["init", "--home", str(home), "--chain-id", "test"])
    assert r.exit_code == 0 and (home / "config.toml").exists(), r.output
    assert CliRunner().invoke(oracled.main, ["gen-oracle-key", "--home", str(home)]).exit_code == 0
    r = CliRunner().invoke(oracled.main, ["gen-oracle-key", "--home", str(home)])  # no terminal: never wait
    assert (r.exit_code, r.output) == (
        1, "Error: oracle_priv_key.sealed already exists: pass --yes to overwrite it (no terminal to ask on)\n")
    assert _run(home, "unique-id")[1] == CliRunner().invoke(oracled.main, ["unique-id", "--home", str(home)]).output


def test_gen_oracle_key_records_a_trusted_block(tmp_path: Path) -> None:
    home = tmp_path / "o"
    _run(home, "init", "--chain-id", "test")
    assert _run(home, "gen-oracle-key", "--trusted-block-height", "7") == (
        1, "Error: give both --trusted-block-height and --trusted-block-hash, or neither\n")
    assert _run(home, "gen-oracle-key", "--trusted-block-height", "7", "--trusted-block-hash", "ab") == (
        1, "Error: invalid trusted block hash 'ab': expected the 64 hex characters of the block ID hash\n")
    assert not (home / "oracle_priv_key.sealed").exists()
    code, out = _run(home, "gen-oracle-key", "--trusted-block-height", "7", "--trusted-block-hash", "Ab" * 32)
    assert code == 0, out
    assert OracleHome(home).trust_root() == (7, b"\xab" * 32)
    assert json.loads((home / "data" / "trust_root.json").read_text()) == {"height": "7", "hash": "AB" * 32}


def test_trust_block_records_the_root(tmp_path: Path) -> None:
    home = tmp_path / "o"
    _run(home, "init")
    hash_hex = "AB" * 32
    r = CliRunner().invoke(oracled.main, ["--home", str(home), "trust-block", "--trusted-block-height", "7",
                                          "--trusted-block-hash", hash_hex])
    root_file = home / "data" / "trust_root.json"
    assert (r.exit_code, r.output) == (0, f"trusted block 7 ({hash_hex}) recorded in {root_file}\n")
    from panacea.oracle.home import OracleHome

    assert OracleHome(home).trust_root() == (7, bytes.fromhex(hash_hex))
    r = CliRunner().invoke(oracled.main, ["--home", str(home), "trust-block", "--trusted-block-height", "7",
                                          "--trusted-block-hash", "zz"])
    assert r.exit_code == 1 and r.output.startswith("Error: ")
