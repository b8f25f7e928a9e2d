"""The oracle home: init, the sealed oracle key, oracle_pub_key.json and the oracle account."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from panacea.crypto.hd import derive_private_key
from panacea.oracle.config import OracleConfig
from panacea.oracle.enclave import EnclaveKey, report_data_for
from panacea.oracle.errors import OracleError
from panacea.oracle.home import MNEMONIC_ENV, OracleHome

MNEMONIC = "abandon " * 23 + "art"


def _home(tmp_path: Path) -> OracleHome:
    home = OracleHome(tmp_path / "h")
    home.init(OracleConfig())
    return home


def test_init_layout_and_refusal(tmp_path: Path) -> None:
    home = _home(tmp_path)
    assert sorted(p.name for p in home.root.iterdir()) == ["config.toml", "data", "schemas"]
    assert stat.S_IMODE(home.config_file.stat().st_mode) == 0o600
    with pytest.raises(OracleError) as info:
        OracleHome(home.root).init(OracleConfig())
    assert info.value.message == f"home dir({home.root}) already exists"


def test_sealed_oracle_key_and_pub_key_json(tmp_path: Path) -> None:
    home = _home(tmp_path)
    enclave = home.open_enclave()
    with pytest.raises(OracleError) as info:
        home.oracle_key(enclave)
    assert info.value.message == "the oracle private key is not exists: run oracled gen-oracle-key (genesis oracle)"
    key = EnclaveKey.generate()
    report = enclave.remote_report(report_data_for(key.public_key))
    home.seal_key(enclave, key, home.oracle_priv_key_file)
    home.write_oracle_pub_key(key.public_key, report)
    assert home.oracle_key(home.open_enclave()).public_key == key.public_key  # same machine secret on reopen
    doc = json.loads(home.oracle_pub_key_file.read_text())
    assert doc["public_key_base64"] == key.public_key.to_base64()
    assert stat.S_IMODE(home.oracle_pub_key_file.stat().st_mode) == 0o644
    assert stat.S_IMODE(home.oracle_priv_key_file.stat().st_mode) == 0o600
    (home.root / "enclave" / "machine_secret").write_bytes(b"\x01" * 32)  # another machine
    with pytest.raises(OracleError) as info:
        home.oracle_key(home.open_enclave())
    assert info.value.message == "failed to unseal oracle_priv_key.sealed file"


def test_oracle_account_from_env_or_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = _home(tmp_path)
    monkeypatch.setenv(MNEMONIC_ENV, MNEMONIC)
    assert home.oracle_account() == derive_private_key(MNEMONIC)
    for value, message in (("  ", "mnemonic is empty"), ("not a mnemonic", "invalid mnemonic")):
        monkeypatch.setenv(MNEMONIC_ENV, value)
        with pytest.raises(OracleError) as info:
            home.oracle_account()
        assert info.value.message == message
    monkeypatch.delenv(MNEMONIC_ENV)
    with pytest.raises(OracleError) as info:
        home.oracle_account()
    assert info.value.message.startswith("no oracle account: set ORACLE_MNEMONIC or add key 'oracle' to the file")


def test_trust_root_round_trip_and_bad_input(tmp_path: Path) -> None:
    home = _home(tmp_path)
    assert home.trust_root() is None
    home.write_trust_root(12, bytes(range(32)))
    assert json.loads(home.trust_root_file.read_text()) == {"height": "12", "hash": bytes(range(32)).hex().upper()}
    assert stat.S_IMODE(home.trust_root_file.stat().st_mode) == 0o644
    assert home.trust_root() == (12, bytes(range(32)))
    for height, digest in ((0, bytes(32)), (1, bytes(31))):
        with pytest.raises(OracleError) as info:
            home.write_trust_root(height, digest)
        assert info.value.message == "invalid trusted block: the height must be positive and the hash 32 bytes (64 hex)"
    home.trust_root_file.write_text("{")
    with pytest.raises(OracleError) as info:
        home.trust_root()
    assert info.value.message == "trust_root.json is unreadable: give the trusted block again"
