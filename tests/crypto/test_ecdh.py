import hashlib

from cryptography.hazmat.primitives.asymmetric import ec

from panacea.crypto.ecdh import shared_key, shared_point_x
from panacea.crypto.keys import PrivateKey


def _priv(i: int) -> PrivateKey:
    return PrivateKey(hashlib.sha256(b"panacea-ecdh-%d" % i).digest())


# _priv(0) · _priv(122).public_key() has an x-coordinate starting with 0x00 (first such i).
A = PrivateKey.from_hex("807ba1f4acd6fe1c2901c42d65a8d97714c60501d3f06bcf863211c5c9a18f17")
B = PrivateKey.from_hex("da630a9628e10ea447217fb3a90304f94f6b34c27712f7c839acf394cc483bc2")
X = bytes.fromhex("00fcd348aa6e96faaea79e564982948e250f16196a58fd065015a05a1fafeb1b")
KEY = "8e3e98d2f5f8d2ff348f5bc57ee8bc45134ab089837733bd4f0c90e3bc95451a"


def test_fixture_derivation() -> None:
    assert _priv(0) == A and _priv(122) == B
    assert all(shared_point_x(A, _priv(i).public_key())[0] != 0 for i in range(1, 122))


def test_leading_zero_is_stripped() -> None:
    assert shared_point_x(A, B.public_key()) == X
    key = shared_key(A, B.public_key())
    assert key.hex() == KEY
    assert key == hashlib.sha256(X[1:]).digest()
    assert key != hashlib.sha256(X).digest()
    assert shared_key(B, A.public_key()) == key
    assert shared_key(A.secret, B.public_key().compressed) == key


def test_regular_pair_and_cryptography_cross_check() -> None:
    a, b = _priv(0), _priv(1)
    key = shared_key(a, b.public_key())
    assert key.hex() == "42fc917ac3c305ecdcaa8f3b02c80a10e2c6d6da27125db03df610288fd9e800"
    ca = ec.derive_private_key(int.from_bytes(a.secret, "big"), ec.SECP256K1())
    cb = ec.derive_private_key(int.from_bytes(b.secret, "big"), ec.SECP256K1())
    x = ca.exchange(ec.ECDH(), cb.public_key())
    assert key == hashlib.sha256(x.lstrip(b"\x00")).digest()
    ca = ec.derive_private_key(int.from_bytes(A.secret, "big"), ec.SECP256K1())
    cb = ec.derive_private_key(int.from_bytes(B.secret, "big"), ec.SECP256K1())
    assert ca.exchange(ec.ECDH(), cb.public_key()) == X


def test_not_libsecp256k1_default_ecdh() -> None:
    import coincurve

    assert coincurve.PrivateKey(A.secret).ecdh(B.public_key().compressed).hex() != KEY
