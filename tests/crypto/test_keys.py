import base64

import pytest

from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import SECP256K1_N, PrivateKey, PublicKey

SECRET_HEX = "e622b5ca9152e837257d5b54b423d72b9984ab950e4ccb6a219fa18ba7300a5d"
COMPRESSED = bytes.fromhex("02782abd87192cba6724cbee0d4dc4bacba04bab02afcfe1aca0227039dd49aad5")


def test_private_key_vector() -> None:
    key = PrivateKey.from_hex(SECRET_HEX)
    assert key.to_hex() == SECRET_HEX
    assert key.public_key().compressed == COMPRESSED
    assert key.bech32() == "panacea16q6g46va64az2gvgsykqzhmp7gvzmqw28qngsc"
    assert key.address() == key.public_key().address()
    assert SECRET_HEX not in repr(key)


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        (bytes(31), "invalid secp256k1 private key: length 31, need 32 bytes"),
        (bytes(32), "invalid secp256k1 private key: zero scalar"),
        (SECP256K1_N.to_bytes(32, "big"), "invalid secp256k1 private key: scalar not below the curve order"),
        (b"\xff" * 32, "invalid secp256k1 private key: scalar not below the curve order"),
    ],
)
def test_private_key_validation(secret: bytes, message: str) -> None:
    with pytest.raises(CryptoError) as e:
        PrivateKey(secret)
    assert str(e.value) == message


def test_private_key_bounds_and_hex() -> None:
    assert PrivateKey((SECP256K1_N - 1).to_bytes(32, "big")).public_key().compressed[0] in (2, 3)
    assert PrivateKey((1).to_bytes(32, "big")).public_key().compressed.hex() == (
        "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
    )
    with pytest.raises(CryptoError, match="invalid secp256k1 private key: not hex"):
        PrivateKey.from_hex("zz")
    a, b = PrivateKey.generate(), PrivateKey.generate()
    assert a != b and len(a.secret) == 32


def test_public_key_encodings() -> None:
    pub = PublicKey(COMPRESSED)
    uncompressed = pub.uncompressed()
    assert uncompressed[0] == 4 and len(uncompressed) == 65
    odd = uncompressed[64] & 1
    hybrid = bytes([6 | odd]) + uncompressed[1:]
    assert PublicKey.from_bytes(COMPRESSED) == pub
    assert PublicKey.from_bytes(uncompressed) == pub
    assert PublicKey.from_bytes(hybrid) == pub
    # btcec v1 masks the format byte's low bit, so 0x05 parses as uncompressed.
    assert PublicKey.from_bytes(b"\x05" + uncompressed[1:]) == pub
    assert PublicKey.from_base64(base64.b64encode(COMPRESSED).decode()) == pub
    assert pub.to_base64() == "AngqvYcZLLpnJMvuDU3EusugS6sCr8/hrKAicDndSarV"


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        bytes(33),
        b"\x04" + bytes(32),
        b"\x02" + b"\xff" * 32,  # x >= p
        b"\x02" + b"\x05" * 32,  # x^3 + 7 is not a square mod p
        b"\x04" + bytes(64),
    ],
)
def test_public_key_rejects(raw: bytes) -> None:
    with pytest.raises(CryptoError, match=r"^invalid secp256k1 public key$"):
        PublicKey.from_bytes(raw)


def test_hybrid_with_wrong_parity_rejected() -> None:
    uncompressed = PublicKey(COMPRESSED).uncompressed()
    wrong = bytes([6 | (1 - (uncompressed[64] & 1))]) + uncompressed[1:]
    with pytest.raises(CryptoError, match=r"^invalid secp256k1 public key$"):
        PublicKey.from_bytes(wrong)


def test_off_curve_uncompressed_rejected() -> None:
    uncompressed = bytearray(PublicKey(COMPRESSED).uncompressed())
    uncompressed[64] ^= 1
    with pytest.raises(CryptoError, match=r"^invalid secp256k1 public key$"):
        PublicKey.from_bytes(bytes(uncompressed))


def test_public_key_bad_base64() -> None:
    with pytest.raises(CryptoError, match=r"^invalid secp256k1 public key: illegal base64 data"):
        PublicKey.from_base64("not base64!")
