"""DecryptAndStoreOraclePrivKey and the node key (oracle-reference §4.3, §8 "key"): the reference checks in order,
the sealed result, and the key checked against the chain's oracle public key."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from panacea.crypto import aes
from panacea.crypto.ecdh import shared_key
from panacea.crypto.keys import PrivateKey
from panacea.oracle.enclave import Enclave, EnclaveKey, SimulatedEnclave
from panacea.oracle.errors import OracleError
from panacea.oracle.home import OracleHome
from panacea.oracle.keyshare import (
    KEY_MISMATCH,
    decrypt_and_store_oracle_priv_key,
    new_node_key,
    node_key,
    seal_node_key,
    store_oracle_priv_key,
)
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2
from tests.oracle.kit import run_oracled

ORACLE_PRIV = PrivateKey(bytes(31) + b"\x07")  # a short scalar: the shared form is zero-padded to 32 bytes


class Params:
    """The one read DecryptAndStoreOraclePrivKey makes (the chain's oracle params); counts the reads."""

    def __init__(self, oracle_public_key: str) -> None:
        self.params = genesis_pb2.Params(oracle_public_key=oracle_public_key)
        self.reads = 0

    async def oracle_params(self) -> genesis_pb2.Params:
        self.reads += 1
        return self.params


def _home(tmp_path: Path) -> tuple[OracleHome, Enclave]:
    run_oracled(tmp_path / "o", "init")
    home = OracleHome(tmp_path / "o")
    return home, home.open_enclave()


def _with_node_key(home: OracleHome, enclave: Enclave) -> EnclaveKey:
    key = new_node_key(home, overwrite=False)
    seal_node_key(home, enclave, key)
    return key


def _error(f: object, *args: object) -> str:
    with pytest.raises(OracleError) as e:
        result = f(*args)  # type: ignore[operator]
        if asyncio.iscoroutine(result):
            asyncio.run(result)
    return e.value.message


def test_success_seals_the_oracle_key(tmp_path: Path) -> None:
    home, enclave = _home(tmp_path)
    node = _with_node_key(home, enclave)
    oracle = EnclaveKey(ORACLE_PRIV)
    key = store_oracle_priv_key(home, enclave, oracle.public_key, oracle.share_with(node.public_key))
    assert key.public_key == ORACLE_PRIV.public_key()
    assert enclave.unseal(home.oracle_priv_key_file.read_bytes()) == ORACLE_PRIV.secret  # the sealed file's bytes
    assert home.oracle_priv_key_file.stat().st_mode & 0o777 == 0o600


def test_existing_oracle_key_comes_first(tmp_path: Path) -> None:
    home, enclave = _home(tmp_path)
    oracle = EnclaveKey(ORACLE_PRIV)
    home.seal_key(enclave, oracle, home.oracle_priv_key_file)
    before = home.oracle_priv_key_file.read_bytes()
    # no node key either: the existing oracle key is reported, as the reference checks it first
    assert _error(store_oracle_priv_key, home, enclave, oracle.public_key, b"x") == (
        "the oracle private key already exists")
    assert home.oracle_priv_key_file.read_bytes() == before


def test_missing_node_key(tmp_path: Path) -> None:
    home, enclave = _home(tmp_path)
    oracle = EnclaveKey(ORACLE_PRIV)
    assert _error(store_oracle_priv_key, home, enclave, oracle.public_key, b"x") == (
        "the node private key is not exists")
    assert not home.oracle_priv_key_file.exists()


def test_the_async_form_reads_params_only_after_the_file_checks(tmp_path: Path) -> None:
    home, enclave = _home(tmp_path)
    oracle = EnclaveKey(ORACLE_PRIV)
    params = Params(oracle.public_key.to_base64())
    assert _error(decrypt_and_store_oracle_priv_key, home, enclave, params, b"x") == (
        "the node private key is not exists")
    assert params.reads == 0
    node = _with_node_key(home, enclave)
    key = asyncio.run(decrypt_and_store_oracle_priv_key(home, enclave, params, oracle.share_with(node.public_key)))
    assert key.public_key == oracle.public_key and params.reads == 1
    assert _error(decrypt_and_store_oracle_priv_key, home, enclave, params, b"x") == (
        "the oracle private key already exists")
    assert params.reads == 1


def test_chain_without_oracle_key(tmp_path: Path) -> None:
    home, enclave = _home(tmp_path)
    _with_node_key(home, enclave)
    assert _error(decrypt_and_store_oracle_priv_key, home, enclave, Params(""), b"x") == (
        "the chain has no oracle public key (oracle_public_key param is empty)")


def test_a_key_that_is_not_the_chains(tmp_path: Path) -> None:
    home, enclave = _home(tmp_path)
    node = _with_node_key(home, enclave)
    oracle = EnclaveKey(ORACLE_PRIV)
    other = PrivateKey.generate()
    # encrypted for the node key under the oracle key's ECDH, but carrying another scalar
    encrypted = aes.encrypt(shared_key(ORACLE_PRIV, node.public_key), other.secret)
    assert _error(store_oracle_priv_key, home, enclave, oracle.public_key, encrypted) == KEY_MISMATCH
    assert KEY_MISMATCH == ("the decrypted oracle private key does not belong to the chain's oracle public key "
                            "(oracle_public_key param): the approval was not made with the shared oracle key")
    # encrypted for another node key: it does not open
    stranger = EnclaveKey.generate()
    assert _error(store_oracle_priv_key, home, enclave, oracle.public_key, oracle.share_with(stranger.public_key)) == (
        "failed to decrypt the oracle private key")
    assert not home.oracle_priv_key_file.exists()


def test_node_key_file(tmp_path: Path) -> None:
    home, enclave = _home(tmp_path)
    key = _with_node_key(home, enclave)
    assert node_key(home, enclave).public_key == key.public_key
    assert home.node_priv_key_file.stat().st_mode & 0o777 == 0o600
    with pytest.raises(OracleError) as e:
        new_node_key(home, overwrite=False)
    assert e.value.message == ("node_priv_key.sealed already exists: it may be the node key of a pending registration "
                               "or upgrade; pass --yes to replace it")
    assert new_node_key(home, overwrite=True).public_key != key.public_key
    # another code version (another unique ID) cannot unseal it
    cfg = home.config.enclave
    other = SimulatedEnclave(PrivateKey(home.file(cfg.attestation_key_file).read_bytes()),
                             home.file(cfg.machine_secret_file).read_bytes(), code_root=tmp_path / "other-code")
    with pytest.raises(OracleError) as e:
        node_key(home, other)
    assert e.value.message == "failed to unseal node_priv_key.sealed file"
