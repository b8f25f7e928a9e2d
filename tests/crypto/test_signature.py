import hashlib
import random

import coincurve
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature

from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import SECP256K1_HALF_N, SECP256K1_N, PrivateKey
from panacea.crypto.signature import (
    SignatureMode,
    digest_for,
    encode_der,
    parse_der_lenient,
    sign_message,
    sign_tx_bytes,
    verify_digest,
    verify_message,
    verify_tx_bytes,
)

ORACLE = PrivateKey.from_hex("e622b5ca9152e837257d5b54b423d72b9984ab950e4ccb6a219fa18ba7300a5d")
ORACLE_PUB = ORACLE.public_key()
LEGACY, SHA256 = SignatureMode.LEGACY, SignatureMode.SHA256
# RFC 6979 signatures by ORACLE: over CERT_1 in legacy mode (DER) and over the tx sign bytes (R‖S).
LEGACY_SIG_HEX = (
    "304502210098e7eef04ddb79daaca6b131b0adebcd3f3d55eb5d240a73c29c94227474df72"
    "022041204f040f984b5615811389d47d5e3852c427050d78cf7dd6a013de9e7cf608"
)
TX_SIG_HEX = (
    "736994e997e3d881a7eb8221d186c82f593d5a1f0ebaf39366eea1f652ef0cf6"
    "4fcdba858f040297da8ac4e6671d3082f61e6667c8c528f07dad0b05647720e8"
)


def _field(tag: int, value: bytes) -> bytes:
    return bytes([tag, len(value)]) + value


def unsigned_certificate(deal_id: int) -> bytes:
    """protobuf UnsignedCertificate laid out by hand (chain-reference §2.7)."""
    assert deal_id < 0x80
    return (
        _field(0x0A, b"uniqueID")
        + _field(0x12, ORACLE.bech32().encode())
        + bytes([0x18, deal_id])
        + _field(0x22, b"panacea1provider0000000000000000000000000000")
        + _field(0x2A, b"a" * 64)
    )


CERT_1 = unsigned_certificate(1)
CERT_2 = unsigned_certificate(2)


def test_certificate_layout() -> None:
    assert CERT_1[:12] == b"\x0a\x08uniqueID\x12\x2e"
    assert CERT_1[12:32] == ORACLE.bech32().encode()[:20]
    assert CERT_1[58:60] == b"\x18\x01"
    assert CERT_1[:32] == CERT_2[:32] and CERT_1 != CERT_2


def test_digest_for() -> None:
    assert digest_for(b"\x01\x02", LEGACY) == bytes(30) + b"\x01\x02"
    assert digest_for(b"", LEGACY) == bytes(32)
    assert digest_for(CERT_1, LEGACY) == CERT_1[:32]
    assert digest_for(CERT_1, SHA256) == hashlib.sha256(CERT_1).digest()
    assert digest_for(CERT_1, "sha256") == hashlib.sha256(CERT_1).digest()  # type: ignore[arg-type]


def test_exact_signature_bytes() -> None:
    der = sign_message(ORACLE, CERT_1, LEGACY)
    assert der.hex() == LEGACY_SIG_HEX
    assert sign_message(ORACLE.secret, CERT_1, LEGACY) == der  # RFC 6979
    _, s = parse_der_lenient(der)
    assert s <= SECP256K1_HALF_N
    assert encode_der(*parse_der_lenient(der)) == der
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256K1(), ORACLE_PUB.compressed)
    public.verify(der, CERT_1[:32], ec.ECDSA(Prehashed(hashes.SHA256())))  # raises if invalid


@pytest.mark.parametrize("mode", [LEGACY, SHA256])
def test_round_trip(mode: SignatureMode) -> None:
    der = sign_message(ORACLE, CERT_1, mode)
    assert verify_message(ORACLE_PUB, CERT_1, der, mode)
    assert verify_message(ORACLE_PUB.compressed, CERT_1, der, mode)
    assert verify_message(ORACLE_PUB.uncompressed(), CERT_1, der, mode)
    other = PrivateKey(hashlib.sha256(b"other").digest()).public_key()
    assert not verify_message(other, CERT_1, der, mode)
    assert not verify_message(b"\x02" + bytes(32), CERT_1, der, mode)  # invalid key ⇒ False


def test_one_signature_validates_two_certificates_in_legacy_mode() -> None:
    """REF flaw: only the first 32 bytes are signed, so deal_id 2 reuses deal_id 1's signature."""
    legacy = sign_message(ORACLE, CERT_1, LEGACY)
    assert verify_message(ORACLE_PUB, CERT_2, legacy, LEGACY)
    hashed = sign_message(ORACLE, CERT_1, SHA256)
    assert verify_message(ORACLE_PUB, CERT_1, hashed, SHA256)
    assert not verify_message(ORACLE_PUB, CERT_2, hashed, SHA256)


def test_high_s_accepted() -> None:
    r, s = parse_der_lenient(sign_message(ORACLE, CERT_1, LEGACY))
    high = encode_der(r, SECP256K1_N - s)
    assert parse_der_lenient(high)[1] > SECP256K1_HALF_N
    assert verify_message(ORACLE_PUB, CERT_1, high, LEGACY)


def _raw_der(r_bytes: bytes, s_bytes: bytes, seq_len: int | None = None, trailer: bytes = b"") -> bytes:
    body = _field(0x02, r_bytes) + _field(0x02, s_bytes)
    return bytes([0x30, len(body) if seq_len is None else seq_len]) + body + trailer


def _rs_bytes(der: bytes) -> tuple[bytes, bytes]:
    r, s = parse_der_lenient(der)
    return r.to_bytes(32, "big"), s.to_bytes(32, "big")


def test_ber_quirks_accepted() -> None:
    der = sign_message(ORACLE, CERT_1, LEGACY)
    r, s = _rs_bytes(der)
    assert verify_message(ORACLE_PUB, CERT_1, der + b"\xde\xad\xbe\xef", LEGACY)  # trailing bytes ignored
    assert verify_message(ORACLE_PUB, CERT_1, _raw_der(b"\x00\x00" + r, s), LEGACY)  # non-minimal R
    assert verify_message(ORACLE_PUB, CERT_1, _raw_der(r, b"\x00\x00\x00" + s), LEGACY)
    # "negative" R (high bit set, no 0x00 pad) is read as unsigned like big.Int.SetBytes
    fixed = _raw_der(r.lstrip(b"\x00"), s.lstrip(b"\x00"))
    assert verify_message(ORACLE_PUB, CERT_1, fixed, LEGACY)
    assert parse_der_lenient(_raw_der(b"\x81", b"\x01")) == (0x81, 1)


@pytest.mark.parametrize(
    ("sig", "message"),
    [
        (b"\x30\x06\x02\x01\x01\x02\x01", "malformed signature: too short"),
        (_raw_der(b"\x01", b"\x01").replace(b"\x30", b"\x31", 1), "malformed signature: no header magic"),
        (_raw_der(b"\x00", b"\x01"), "malformed signature: R is zero or negative"),
        (_raw_der(b"\x01", b"\x00\x00"), "malformed signature: S is zero or negative"),
        (_raw_der(b"\x01", SECP256K1_N.to_bytes(32, "big")), "malformed signature: S is >= curve order"),
        (_raw_der(b"\xff" * 32, b"\x01"), "malformed signature: R is >= curve order"),
        (_raw_der(b"\x01", b"\x01", seq_len=7), "malformed signature: bad length"),
        (_raw_der(b"\x01", b"\x01", seq_len=5), "malformed signature: bad length"),
        (_raw_der(b"\x01", b"\x01", seq_len=5, trailer=b"\x00" * 4), "malformed signature: bad length"),
        (_raw_der(b"\x01", b"\x01", seq_len=7, trailer=b"\x00"), "malformed signature: bad final length"),
        (_raw_der(b"\x01", b"\x01", seq_len=254, trailer=b"\x00" * 300), "malformed signature: bad length"),
        (b"\x30\x06\x03\x01\x01\x02\x01\x01", "malformed signature: no R integer marker"),
        (b"\x30\x06\x02\x01\x01\x04\x01\x01", "malformed signature: no S integer marker"),
        (b"\x30\x06\x02\x00\x02\x01\x01\x01", "malformed signature: bogus R length"),
        (b"\x30\x06\x02\x01\x01\x02\x02\x01", "malformed signature: bogus S length"),
    ],
)
def test_ber_rejections(sig: bytes, message: str) -> None:
    with pytest.raises(CryptoError) as e:
        parse_der_lenient(sig)
    assert str(e.value) == message
    assert not verify_message(ORACLE_PUB, CERT_1, sig, LEGACY)


def test_length_mismatch_inside_sequence_rejected() -> None:
    r, s = _rs_bytes(sign_message(ORACLE, CERT_1, LEGACY))
    der = _raw_der(r, s)
    longer = bytes([0x30, der[1] + 1]) + der[2:] + b"\x00"  # sequence claims one byte too many
    assert not verify_message(ORACLE_PUB, CERT_1, longer, LEGACY)
    shorter = bytes([0x30, der[1] - 1]) + der[2:]  # S overruns the declared sequence
    assert not verify_message(ORACLE_PUB, CERT_1, shorter, LEGACY)


def test_signature_from_cryptography_library_verifies() -> None:
    signer = ec.derive_private_key(int.from_bytes(ORACLE.secret, "big"), ec.SECP256K1())
    for _ in range(8):
        legacy = signer.sign(digest_for(CERT_1, LEGACY), ec.ECDSA(Prehashed(hashes.SHA256())))
        assert verify_message(ORACLE_PUB, CERT_2, legacy, LEGACY)
        hashed = signer.sign(CERT_1, ec.ECDSA(hashes.SHA256()))
        assert verify_message(ORACLE_PUB, CERT_1, hashed, SHA256)
    ours = sign_message(ORACLE, CERT_1, SHA256)
    signer.public_key().verify(ours, CERT_1, ec.ECDSA(hashes.SHA256()))  # raises if invalid


def test_tx_signature() -> None:
    sign_bytes = b'{"account_number":"0","chain_id":"panacea-3","msgs":[]}'
    sig = sign_tx_bytes(ORACLE, sign_bytes)
    assert sig.hex() == TX_SIG_HEX
    assert len(sig) == 64 and int.from_bytes(sig[32:], "big") <= SECP256K1_HALF_N
    assert verify_tx_bytes(ORACLE_PUB, sign_bytes, sig)
    assert not verify_tx_bytes(ORACLE_PUB, sign_bytes + b" ", sig)
    assert not verify_tx_bytes(ORACLE_PUB, sign_bytes, sig + b"\x00")
    assert not verify_tx_bytes(ORACLE_PUB, sign_bytes, sig[:63])
    high = sig[:32] + (SECP256K1_N - int.from_bytes(sig[32:], "big")).to_bytes(32, "big")
    assert not verify_tx_bytes(ORACLE_PUB, sign_bytes, high)  # Cosmos rejects high-S
    assert not verify_tx_bytes(ORACLE_PUB, sign_bytes, bytes(64))
    assert not verify_tx_bytes(b"\x02" + bytes(32), sign_bytes, sig)
    r, s = decode_dss_signature(encode_der(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256K1(), ORACLE_PUB.compressed)
    public.verify(encode_der(r, s), sign_bytes, ec.ECDSA(hashes.SHA256()))


# The compact-signature verification path must agree with coincurve's DER verification.
def test_compact_path_agrees_with_der_verification() -> None:
    rng = random.Random(5)
    for i in range(200):
        priv = coincurve.PrivateKey(hashlib.sha256(f"k{i}".encode()).digest())
        pub = priv.public_key.format()
        sign_bytes = rng.randbytes(rng.randrange(1, 400))
        digest = hashlib.sha256(sign_bytes).digest()
        der = priv.sign(digest, hasher=None)
        r, s = _rs(der)
        cases = [(r, s), (r, SECP256K1_N - s), (r ^ 1, s), (r, s ^ 1), (1, 1), (SECP256K1_N - 1, SECP256K1_HALF_N)]
        for cr, cs in cases:
            low = cs if cs <= SECP256K1_HALF_N else SECP256K1_N - cs
            expected = coincurve.PublicKey(pub).verify(encode_der(cr, low), digest, hasher=None)
            assert verify_digest(pub, digest, cr, cs) == expected
            sig64 = cr.to_bytes(32, "big") + cs.to_bytes(32, "big")
            assert verify_tx_bytes(pub, sign_bytes, sig64) == (expected and cs <= SECP256K1_HALF_N)
        assert verify_digest(pub, digest, r, s)


def _rs(der: bytes) -> tuple[int, int]:
    rlen = der[3]
    r = int.from_bytes(der[4 : 4 + rlen], "big")
    slen = der[5 + rlen]
    return r, int.from_bytes(der[6 + rlen : 6 + rlen + slen], "big")
