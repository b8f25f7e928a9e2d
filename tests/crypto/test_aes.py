import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from panacea.crypto.aes import decrypt, encrypt
from panacea.crypto.errors import CryptoError

KEY = bytes(range(32))
NONCE = bytes(range(100, 112))
PLAINTEXT = b"panacea data exchange"
CONTAINER = (
    "6465666768696a6b6c6d6e6f"  # nonce
    "387ab0071a8c37be5a032b89fa00129e2aa3686dee"  # ciphertext
    "58f1ee9b534787818262015a63eb1e98"  # tag
)
CONTAINER_AAD = (
    "6465666768696a6b6c6d6e6f387ab0071a8c37be5a032b89fa00129e2aa3686dee3c8c1e7b7a1e0584955088586c874214"
)


def test_fixed_nonce_vector() -> None:
    container = encrypt(KEY, PLAINTEXT, nonce=NONCE)
    assert container.hex() == CONTAINER
    assert container == NONCE + AESGCM(KEY).encrypt(NONCE, PLAINTEXT, None)
    assert decrypt(KEY, container) == PLAINTEXT
    with_aad = encrypt(KEY, PLAINTEXT, b"aad", nonce=NONCE)
    assert with_aad.hex() == CONTAINER_AAD
    assert decrypt(KEY, with_aad, b"aad") == PLAINTEXT


def test_random_nonce_round_trip() -> None:
    a, b = encrypt(KEY, PLAINTEXT), encrypt(KEY, PLAINTEXT)
    assert a != b and len(a) == 12 + len(PLAINTEXT) + 16
    assert decrypt(KEY, a) == decrypt(KEY, b) == PLAINTEXT
    assert decrypt(KEY, encrypt(KEY, b"")) == b""


@pytest.mark.parametrize("size", [0, 16, 31, 33])
def test_key_size(size: int) -> None:
    with pytest.raises(CryptoError) as e:
        encrypt(bytes(size), PLAINTEXT)
    assert str(e.value) == f"secret key is not for AES-256: total {size * 8} bits"
    with pytest.raises(CryptoError, match=f"^secret key is not for AES-256: total {size * 8} bits$"):
        decrypt(bytes(size), bytes.fromhex(CONTAINER))


def test_short_container() -> None:
    for n in (0, 11, 27):
        with pytest.raises(CryptoError) as e:
            decrypt(KEY, bytes(n))
        assert str(e.value) == f"ciphertext too short: {n} bytes (need at least 28)"


@pytest.mark.parametrize("position", [0, 12, 30, -1])
def test_tamper_fails(position: int) -> None:
    container = bytearray.fromhex(CONTAINER)
    container[position] ^= 1
    with pytest.raises(CryptoError, match=r"^failed to decrypt: message authentication failed$"):
        decrypt(KEY, bytes(container))


def test_wrong_key_or_aad_fails() -> None:
    with pytest.raises(CryptoError, match="message authentication failed"):
        decrypt(bytes(32), bytes.fromhex(CONTAINER))
    with pytest.raises(CryptoError, match="message authentication failed"):
        decrypt(KEY, bytes.fromhex(CONTAINER_AAD))


def test_bad_nonce_length() -> None:
    with pytest.raises(CryptoError, match="invalid nonce length: 8 bytes"):
        encrypt(KEY, PLAINTEXT, nonce=bytes(8))


def test_deterministic_encryption_repeats_only_for_the_same_plaintext() -> None:
    from panacea.crypto.aes import encrypt_deterministic

    key = bytes(range(32))
    first = encrypt_deterministic(key, b'{"a": 1}')
    assert encrypt_deterministic(key, b'{"a": 1}') == first
    assert decrypt(key, first) == b'{"a": 1}'
    other = encrypt_deterministic(key, b'{"a":1}')  # same canonical JSON, other bytes: another nonce
    assert other[:12] != first[:12] and decrypt(key, other) == b'{"a":1}'
    assert encrypt_deterministic(bytes(32), b'{"a": 1}')[:12] != first[:12]
    assert AESGCM(key).decrypt(first[:12], first[12:], None) == b'{"a": 1}'  # a plain AES-GCM container
