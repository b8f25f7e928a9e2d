"""The home's client.toml and the precedence of its settings (flag > env > client.toml > default)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from panacea.cli.panacead import main

ABANDON = "abandon " * 11 + "about"
ABANDON_ADDR = "panacea16q6g46va64az2gvgsykqzhmp7gvzmqw28qngsc"


def run(home: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, [*args, "--home", str(home)], input=input)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("PANACEA_KEYRING_BACKEND", "PANACEA_NODE", "PANACEA_CHAIN_ID", "PANACEA_KEYRING_PASSPHRASE"):
        monkeypatch.delenv(var, raising=False)


def test_config_shows_defaults_then_sets_and_writes_toml(tmp_path: Path) -> None:
    r = run(tmp_path, "config")
    assert (r.exit_code, json.loads(r.output)) == (
        0, {"chain-id": "", "keyring-backend": "file", "node": "tcp://127.0.0.1:26657"})
    assert not (tmp_path / "config" / "client.toml").exists()
    assert run(tmp_path, "config", "keyring-backend", "test").output == ""
    assert run(tmp_path, "config", "node", "tcp://127.0.0.1:9").exit_code == 0
    assert (tmp_path / "config" / "client.toml").read_text() == (
        'chain-id = ""\nkeyring-backend = "test"\nnode = "tcp://127.0.0.1:9"\n')
    assert run(tmp_path, "config", "keyring-backend").output == "test\n"


@pytest.mark.parametrize(("args", "expected"), [
    (["config", "colour"], "Error: unknown client config key 'colour' (one of: chain-id, keyring-backend, node)\n"),
    (["config", "keyring-backend", "os"], "Error: invalid keyring-backend 'os' (one of: file, test)\n"),
    (["config", "chain-id", "c" * 51], "Error: invalid chain-id: at most 50 characters\n"),
    (["config", "node", ""], "Error: invalid node: an RPC address such as tcp://127.0.0.1:26657\n"),
])
def test_config_errors(tmp_path: Path, args: list[str], expected: str) -> None:
    r = run(tmp_path, *args)
    assert (r.exit_code, r.output) == (1, expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("keyring-backend = ", "Error: {path} is not valid TOML: Invalid value (at end of document)\n"),
    ("keyring-backend = 3", "Error: keyring-backend in {path} must be a string\n"),
    ('keyring-backend = "os"', "Error: invalid keyring-backend 'os' (one of: file, test)\n"),
])
def test_a_broken_client_toml_is_one_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "config" / "client.toml"
    path.parent.mkdir()
    path.write_text(text)
    r = run(tmp_path, "keys", "list")
    assert (r.exit_code, r.output) == (1, expected.format(path=path))
    path.write_bytes(b"node = \"\xff\"")
    assert run(tmp_path, "keys", "list").output == f"Error: {path} is not UTF-8 text\n"


def test_keyring_backend_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def names() -> list[str]:
        r = run(tmp_path, "keys", "list", "-o", "json")
        assert r.exit_code == 0, r.output
        return [k["name"] for k in json.loads(r.output)]

    assert run(tmp_path, "keys", "add", "t", "--recover", "--keyring-backend", "test", input=ABANDON).exit_code == 0
    assert names() == []  # default: file
    assert run(tmp_path, "config", "keyring-backend", "test").exit_code == 0
    assert names() == ["t"]  # client.toml
    monkeypatch.setenv("PANACEA_KEYRING_BACKEND", "file")
    assert names() == []  # env over client.toml
    r = run(tmp_path, "keys", "show", "t", "-a", "--keyring-backend", "test")
    assert r.output == ABANDON_ADDR + "\n"  # flag over env
    r = run(tmp_path, "keys", "show", "t")
    assert r.output.startswith("Error: key 't' not found in the file keyring")
    monkeypatch.delenv("PANACEA_KEYRING_BACKEND")
    r = run(tmp_path, "genesis", "add-account", "t", "5umed")  # genesis commands resolve keys the same way
    assert r.output == f"Error: no genesis at {tmp_path / 'config' / 'genesis.json'}; run `panacead init` first\n"


def test_node_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def reached() -> str:  # (the default port may host a real node on a shared machine: not asked here)
        r = run(tmp_path, "query", "datadeal", "deal", "1")
        assert r.exit_code == 1 and r.output.startswith("Error: cannot reach node "), r.output
        return r.output.split()[4].rstrip(":")

    run(tmp_path, "config", "node", "tcp://127.0.0.1:9")
    assert reached() == "tcp://127.0.0.1:9"
    monkeypatch.setenv("PANACEA_NODE", "tcp://127.0.0.1:10")
    assert reached() == "tcp://127.0.0.1:10"
    r = run(tmp_path, "status", "--node", "tcp://127.0.0.1:11")
    assert r.output.startswith("Error: cannot reach node tcp://127.0.0.1:11:")


def test_init_writes_client_toml_with_its_chain_id(tmp_path: Path) -> None:
    assert run(tmp_path, "config", "keyring-backend", "test").exit_code == 0
    assert run(tmp_path, "init", "n", "--chain-id", "chain-a").exit_code == 0
    assert json.loads(run(tmp_path, "config").output) == {
        "chain-id": "chain-a", "keyring-backend": "test", "node": "tcp://127.0.0.1:26657"}
    assert run(tmp_path, "init", "n", "--chain-id", "chain-b", "--overwrite").exit_code == 0
    assert run(tmp_path, "config", "chain-id").output == "chain-b\n"
