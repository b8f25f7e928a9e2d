import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from panacea.crypto import jwt
from panacea.crypto.errors import CryptoError, JWTError
from panacea.crypto.keys import SECP256K1_HALF_N, SECP256K1_N, PrivateKey, PublicKey

KEY = PrivateKey.from_hex("e622b5ca9152e837257d5b54b423d72b9984ab950e4ccb6a219fa18ba7300a5d")
PUB = KEY.public_key()
NOW = 1_700_000_000
TOKEN = (
    "eyJhbGciOiJFUzI1NksiLCJ0eXAiOiJKV1QifQ."
    "eyJleHAiOjE3MDAwMDAwMTAsImlhdCI6MTcwMDAwMDAwMCwiaXNzIjoicGFuYWNlYTE2cTZnNDZ2YTY0YXoyZ3Znc3lr"
    "cXpobXA3Z3Z6bXF3MjhxbmdzYyIsIm5iZiI6MTcwMDAwMDAwMH0."
    "K6EqFVPl68fTk1GLbDnc6FubxGJgyX0ND7ZBJ0DHd2A8d2EPGusGYojy-zzzvMNhRqilhLeK6PI469_o1-bq6w"
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("10s", 10_000_000_000),
        ("1h30m", 5_400_000_000_000),
        ("300ms", 300_000_000),
        ("1.5h", 5_400_000_000_000),
        ("-1s", -1_000_000_000),
        ("+5m", 300_000_000_000),
        ("0", 0),
        ("-0", 0),
        ("1ns", 1),
        ("1us", 1_000),
        ("1µs", 1_000),
        ("1μs", 1_000),
        (".5s", 500_000_000),
        ("1.s", 1_000_000_000),
        ("1h0.5m3s", 3_633_000_000_000),
        ("2562047h47m16.854775807s", (1 << 63) - 1),
        ("-9223372036854775808ns", -(1 << 63)),
    ],
)
def test_parse_go_duration(text: str, ns: int) -> None:
    assert jwt.parse_go_duration(text) == ns


@pytest.mark.parametrize(
    "text",
    ["", "10", "1d", "s", ".s", "1.5.5s", "-", "1h 30m", "9223372036854775808ns", "2562047h47m16.854775808s"],
)
def test_parse_go_duration_rejects(text: str) -> None:
    with pytest.raises(JWTError) as e:
        jwt.parse_go_duration(text)
    assert str(e.value) == f'invalid duration "{text}"'


def test_issue_exact_bytes() -> None:
    token = jwt.issue(KEY, 10_000_000_000, now=NOW)
    assert token == TOKEN
    header, payload, signature = token.split(".")
    assert json.loads(_unb64(header)) == {"alg": "ES256K", "typ": "JWT"}
    assert _unb64(payload) == (
        b'{"exp":1700000010,"iat":1700000000,"iss":"panacea16q6g46va64az2gvgsykqzhmp7gvzmqw28qngsc",'
        b'"nbf":1700000000}'
    )
    sig = _unb64(signature)
    assert len(sig) == 64 and "=" not in signature
    assert int.from_bytes(sig[32:], "big") <= SECP256K1_HALF_N
    assert jwt.issue(KEY, 10_000_000_000, now=NOW) == token  # RFC 6979


def test_round_trip_and_claims() -> None:
    token = jwt.issue(KEY, 1_900_000_000, now=NOW)
    claims = jwt.verify(token, PUB, now=NOW)
    assert claims == {"iss": KEY.bech32(), "iat": NOW, "nbf": NOW, "exp": NOW + 1}
    assert jwt.unverified_claims(token) == claims
    assert jwt.unverified_claims(jwt.issue(KEY, -1_500_000_000, now=NOW))["exp"] == NOW - 2


def test_time_claims() -> None:
    token = jwt.issue(KEY, 10_000_000_000, now=NOW)
    assert jwt.verify(token, PUB, now=NOW + 9)["exp"] == NOW + 10
    with pytest.raises(JWTError, match=r"^token is expired$"):
        jwt.verify(token, PUB, now=NOW + 10)
    with pytest.raises(JWTError, match=r"^token is not valid yet$"):
        jwt.verify(token, PUB, now=NOW - 1)


def _sign_claims(claims: dict[str, object], header: dict[str, object] | None = None) -> str:
    head = _b64(json.dumps(header or {"alg": "ES256K"}).encode())
    signing_input = f"{head}.{_b64(json.dumps(claims).encode())}"
    digest = hashlib.sha256(signing_input.encode()).digest()
    from coincurve import PrivateKey as CCKey

    sig = CCKey(KEY.secret).sign_recoverable(digest, hasher=None)[:64]
    return f"{signing_input}.{_b64(sig)}"


def test_iat_in_future_and_absent_claims() -> None:
    with pytest.raises(JWTError, match=r"^token used before issued$"):
        jwt.verify(_sign_claims({"iss": "x", "iat": NOW + 5}), PUB, now=NOW)
    # Reference behaviour: absent exp/nbf/iat are not required, so this never expires.
    assert jwt.verify(_sign_claims({"iss": "x"}), PUB, now=NOW) == {"iss": "x"}
    with pytest.raises(JWTError, match=r'^invalid "exp" claim$'):
        jwt.verify(_sign_claims({"exp": "soon"}), PUB, now=NOW)


def test_audience_and_jti() -> None:
    token = jwt.issue(KEY, 60_000_000_000, now=NOW, audience="oracle-1", jti="abc", issuer="someone")
    claims = jwt.verify(token, PUB, now=NOW, audience="oracle-1", require_jti=True)
    assert (claims["aud"], claims["jti"], claims["iss"]) == ("oracle-1", "abc", "someone")
    with pytest.raises(JWTError, match=r"^aud not satisfied$"):
        jwt.verify(token, PUB, now=NOW, audience="oracle-2")
    plain = jwt.issue(KEY, 60_000_000_000, now=NOW)
    with pytest.raises(JWTError, match=r"^aud not satisfied$"):
        jwt.verify(plain, PUB, now=NOW, audience="oracle-1")
    with pytest.raises(JWTError, match=r"^jti not satisfied$"):
        jwt.verify(plain, PUB, now=NOW, require_jti=True)
    listed = _sign_claims({"aud": ["a", "oracle-1"]})
    assert jwt.verify(listed, PUB, now=NOW, audience="oracle-1")["aud"] == ["a", "oracle-1"]


def test_tampering_and_wrong_key() -> None:
    token = jwt.issue(KEY, 60_000_000_000, now=NOW)
    header, payload, signature = token.split(".")
    forged = _b64(_unb64(payload).replace(b"1700000060", b"1900000060"))
    with pytest.raises(JWTError, match=r"^failed to verify signature$"):
        jwt.verify(f"{header}.{forged}.{signature}", PUB, now=NOW)
    sig = bytearray(_unb64(signature))
    sig[5] ^= 1
    with pytest.raises(JWTError, match=r"^failed to verify signature$"):
        jwt.verify(f"{header}.{payload}.{_b64(bytes(sig))}", PUB, now=NOW)
    with pytest.raises(JWTError, match=r"^invalid signature length$"):
        jwt.verify(f"{header}.{payload}.{_b64(bytes(sig[:63]))}", PUB, now=NOW)
    other = PrivateKey(hashlib.sha256(b"other").digest()).public_key()
    with pytest.raises(JWTError, match=r"^failed to verify signature$"):
        jwt.verify(token, other, now=NOW)


def test_wrong_alg_rejected() -> None:
    with pytest.raises(JWTError, match=r"^unexpected alg 'ES256', want ES256K$"):
        jwt.verify(_sign_claims({"iss": "x"}, {"alg": "ES256"}), PUB, now=NOW)
    with pytest.raises(JWTError, match=r"^unexpected alg None, want ES256K$"):
        jwt.verify(_sign_claims({"iss": "x"}, {"typ": "JWT"}), PUB, now=NOW)


def test_high_s_variant_still_verifies() -> None:
    token = jwt.issue(KEY, 60_000_000_000, now=NOW)
    header, payload, signature = token.split(".")
    sig = _unb64(signature)
    high_s = SECP256K1_N - int.from_bytes(sig[32:], "big")
    assert high_s > SECP256K1_HALF_N
    variant = f"{header}.{payload}.{_b64(sig[:32] + high_s.to_bytes(32, 'big'))}"
    assert jwt.verify(variant, PUB, now=NOW)["iss"] == KEY.bech32()


def test_token_from_cryptography_library_verifies() -> None:
    """Go's ecdsa does not low-S normalise; cryptography's OpenSSL signer behaves the same way."""
    signer = ec.derive_private_key(int.from_bytes(KEY.secret, "big"), ec.SECP256K1())
    head = _b64(b'{"alg":"ES256K","typ":"JWT"}')
    body = _b64(json.dumps({"iss": KEY.bech32(), "iat": NOW, "nbf": NOW, "exp": NOW + 60}).encode())
    seen_high_s = False
    for _ in range(16):
        r, s = decode_dss_signature(signer.sign(f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256())))
        seen_high_s |= s > SECP256K1_HALF_N
        token = f"{head}.{body}.{_b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
        assert jwt.verify(token, PUB, now=NOW)["exp"] == NOW + 60
    assert seen_high_s  # probability of 16 low-S signatures in a row is 2^-16


@pytest.mark.parametrize(
    ("token", "detail"),
    [
        ("abc", "token must have 3 dot-separated parts, got 1"),
        ("a.b.c.d", "token must have 3 dot-separated parts, got 4"),
        ("!!.e30.", "invalid base64url segment"),
        (f"{_b64(b'[1]')}.e30.", "header is not a JSON object"),
        (f"e30.{_b64(b'{')}.", "invalid payload JSON"),
        (f"e30.{_b64(b'x')}.", "invalid payload JSON"),
    ],
)
def test_unverified_claims_malformed(token: str, detail: str) -> None:
    with pytest.raises(JWTError) as e:
        jwt.unverified_claims(token)
    assert str(e.value) == f"invalid bearer token. {detail}"
    assert isinstance(e.value, CryptoError)


def test_verify_accepts_public_key_object_only_once_parsed() -> None:
    pub = PublicKey.from_bytes(PUB.uncompressed())
    assert jwt.verify(jwt.issue(KEY, 60_000_000_000, now=NOW), pub, now=NOW)["iat"] == NOW
