"""Keys inside the enclave: operations only, the reference's crypto layouts (oracle-reference §2.1)."""

from __future__ import annotations

import hashlib
import pickle

import pytest

from panacea.crypto import aes
from panacea.crypto.ecdh import shared_key
from panacea.crypto.jcs import data_hash
from panacea.crypto.keys import PrivateKey
from panacea.crypto.secret import consumer_secret_key, decrypt_from, encrypt_for
from panacea.crypto.signature import SignatureMode, verify_message
from panacea.oracle.enclave import EnclaveKey, SimulatedEnclave
from panacea.oracle.errors import EnclaveError

ORACLE = PrivateKey(hashlib.sha256(b"oracle").digest())
PEER = PrivateKey(hashlib.sha256(b"peer").digest())


def test_encrypt_data_shared_key_is_symmetric() -> None:
    assert shared_key(ORACLE, PEER.public_key()) == shared_key(PEER, ORACLE.public_key())
    key = EnclaveKey(ORACLE)
    assert key.decrypt_from(PEER.public_key(), encrypt_for(PEER, ORACLE.public_key(), b"data")) == b"data"
    assert decrypt_from(PEER, ORACLE.public_key(), key.encrypt_for(PEER.public_key(), b"back")) == b"back"


def test_deal_ciphertext_and_secret_key_follow_the_reference() -> None:
    key = EnclaveKey(ORACLE)
    h = data_hash(b'{"a":1}')
    secret = consumer_secret_key(ORACLE, 1, h)
    assert secret == hashlib.sha256(ORACLE.secret + (1).to_bytes(8, "big") + bytes.fromhex(h)).digest()
    assert aes.decrypt(secret, key.encrypt_for_deal(1, h, b"raw")) == b"raw"
    esk = key.encrypted_secret_key(1, h, PEER.public_key())
    assert len(esk) == 60 and decrypt_from(PEER, ORACLE.public_key(), esk) == secret


def test_sign_jwt_share_and_seal() -> None:
    key = EnclaveKey(ORACLE)
    for mode in SignatureMode:
        assert verify_message(ORACLE.public_key(), b"certificate", key.sign(b"certificate", mode), mode)
    from panacea.crypto import jwt

    token = key.issue_jwt("panacea1oracle", 10_000_000_000, jti="j1")
    assert jwt.verify(token, ORACLE.public_key(), require_jti=True)["iss"] == "panacea1oracle"
    node = EnclaveKey(PEER)
    shared = key.share_with(node.public_key)
    assert len(shared) == 60
    assert EnclaveKey.receive(node, key.public_key, shared).public_key == key.public_key
    with pytest.raises(EnclaveError) as info:
        EnclaveKey.receive(node, key.public_key, shared[:-1] + b"\x00")
    assert info.value.message == "failed to decrypt the oracle private key"
    enclave = SimulatedEnclave(PEER, b"\x01" * 32)
    assert EnclaveKey.unseal(enclave, key.seal(enclave)).public_key == key.public_key
    with pytest.raises(EnclaveError) as info:
        EnclaveKey.unseal(enclave, enclave.seal(b"\x00" * 32))
    assert info.value.message == "the sealed file does not hold a secp256k1 key"


def test_the_scalar_never_shows() -> None:
    key = EnclaveKey(ORACLE)
    assert ORACLE.secret.hex() not in repr(key) and ORACLE.secret.hex() not in str(key)
    assert not hasattr(key, "secret") and not hasattr(key, "__dict__")
    with pytest.raises(TypeError):
        pickle.dumps(key)
