import hashlib

import pytest

from panacea.crypto import aes
from panacea.crypto.ecdh import shared_key
from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import PrivateKey
from panacea.crypto.secret import consumer_secret_key, decrypt_from, encrypt_for

ORACLE = PrivateKey.from_hex("807ba1f4acd6fe1c2901c42d65a8d97714c60501d3f06bcf863211c5c9a18f17")
CONSUMER = PrivateKey.from_hex("da630a9628e10ea447217fb3a90304f94f6b34c27712f7c839acf394cc483bc2")
DATA_HASH = "00" * 31 + "ff"


def test_consumer_secret_key_vector() -> None:
    key = consumer_secret_key(ORACLE, 1, DATA_HASH)
    assert key.hex() == "9940bde24f15773e523705520c013efb28ec6423e2d6c9ab78317dc532f47d3a"
    expected = hashlib.sha256(ORACLE.secret + bytes(7) + b"\x01" + bytes(31) + b"\xff").digest()
    assert key == expected
    assert consumer_secret_key(ORACLE.secret, 1, DATA_HASH.upper()) == key
    assert consumer_secret_key(ORACLE, 2, DATA_HASH) != key


@pytest.mark.parametrize(
    ("data_hash", "message"),
    [
        ("zz", "failed to decode dataHash(zz): not hex"),
        ("abcd", "failed to decode dataHash(abcd): 2 bytes, need 32"),
        ("", "failed to decode dataHash(): 0 bytes, need 32"),
    ],
)
def test_bad_data_hash(data_hash: str, message: str) -> None:
    with pytest.raises(CryptoError) as e:
        consumer_secret_key(ORACLE, 1, data_hash)
    assert str(e.value) == message


def test_bad_deal_id() -> None:
    with pytest.raises(CryptoError, match="invalid deal id: -1"):
        consumer_secret_key(ORACLE, -1, DATA_HASH)


def test_full_consumer_path() -> None:
    """oracle-reference §2.2: the consumer recovers the data with only its key and the oracle pubkey."""
    plaintext = b'{"name":"Alice"}'
    secret = consumer_secret_key(ORACLE, 7, hashlib.sha256(plaintext).hexdigest())
    stored = aes.encrypt(secret, plaintext)
    esk = encrypt_for(ORACLE, CONSUMER.public_key(), secret)
    assert len(esk) == 60
    recovered = decrypt_from(CONSUMER, ORACLE.public_key(), esk)
    assert recovered == secret
    assert aes.decrypt(recovered, stored) == plaintext
    assert aes.decrypt(shared_key(CONSUMER, ORACLE.public_key()), esk) == secret
