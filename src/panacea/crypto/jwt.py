"""ES256K compact JWS bearer tokens (chain-reference §4.6, oracle-reference §1.7)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import time
from typing import Any

from panacea.crypto.errors import CryptoError, JWTError
from panacea.crypto.keys import SECP256K1_N, PrivateKey, PublicKey, cc_private
from panacea.crypto.signature import parse_der_lenient, verify_digest

ALGORITHM = "ES256K"
_NS_PER_S = 1_000_000_000
_MAX_I64 = (1 << 63) - 1
_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,  # U+00B5 micro sign
    "μs": 1_000,  # U+03BC Greek mu
    "ms": 1_000_000,
    "s": _NS_PER_S,
    "m": 60 * _NS_PER_S,
    "h": 3600 * _NS_PER_S,
}
_COMPONENT = re.compile(r"([0-9]*)(?:\.([0-9]*))?([^0-9.]*)")


def parse_go_duration(s: str) -> int:
    """Nanoseconds for a Go ``time.ParseDuration`` string (``10s``, ``1h30m``, ``1.5h``, ``-1s``, ``0``)."""
    invalid = JWTError(f'invalid duration "{s}"')
    rest = s
    negative = False
    if rest[:1] in ("-", "+"):
        negative = rest[0] == "-"
        rest = rest[1:]
    if rest == "0":
        return 0
    if not rest:
        raise invalid
    total = 0
    while rest:
        m = _COMPONENT.match(rest)
        if m is None or m.end() == 0:
            raise invalid
        whole, frac, unit_name = m.group(1), m.group(2), m.group(3)
        if not whole and not frac:
            raise invalid
        unit = _UNITS.get(unit_name)
        if unit is None:
            raise invalid
        value = int(whole or "0") * unit
        if frac:
            # Go keeps the fraction digits that fit an int64 and scales them in float64.
            digits = frac
            while len(digits) > 1 and int(digits) > _MAX_I64:
                digits = digits[:-1]
            value += int(float(int(digits)) * (unit / float(10 ** len(digits))))
        total += value
        if total > 1 << 63:
            raise invalid
        rest = rest[m.end() :]
    if negative:
        return -total
    if total > _MAX_I64:
        raise invalid
    return total


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(part: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", part) or len(part) % 4 == 1:
        raise JWTError("invalid base64url segment")
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise JWTError("invalid base64url segment") from None


def _json_segment(part: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64url_decode(part))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise JWTError(f"invalid {what} JSON") from None
    if not isinstance(value, dict):
        raise JWTError(f"{what} is not a JSON object")
    return value


def _dumps(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def issue(
    priv: PrivateKey,
    duration_ns: int,
    *,
    now: int | None = None,
    issuer: str | None = None,
    audience: str | None = None,
    jti: str | None = None,
) -> str:
    """Token like ``panacead issue-jwt``: iss, iat = nbf = now, exp = now + duration (whole seconds)."""
    issued_at = int(time.time()) if now is None else now
    claims: dict[str, Any] = {
        "iss": priv.bech32() if issuer is None else issuer,
        "iat": issued_at,
        "nbf": issued_at,
        # NumericDate serialises Time.Unix(), which floors.
        "exp": (issued_at * _NS_PER_S + duration_ns) // _NS_PER_S,
    }
    if audience is not None:
        claims["aud"] = audience
    if jti is not None:
        claims["jti"] = jti
    header = {"alg": ALGORITHM, "typ": "JWT"}
    signing_input = f"{_b64url(_dumps(header))}.{_b64url(_dumps(claims))}"
    digest = hashlib.sha256(signing_input.encode("ascii")).digest()
    r, s = parse_der_lenient(bytes(cc_private(priv.secret).sign(digest, hasher=None)))
    return f"{signing_input}.{_b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def _split(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    parts = token.split(".")
    if len(parts) != 3:
        raise JWTError(f"token must have 3 dot-separated parts, got {len(parts)}")
    header = _json_segment(parts[0], "header")
    claims = _json_segment(parts[1], "payload")
    signature = _b64url_decode(parts[2])
    return header, claims, signature, f"{parts[0]}.{parts[1]}".encode("ascii")


def unverified_claims(token: str) -> dict[str, object]:
    """Claims without any check (the oracle reads ``iss`` first to find the key)."""
    try:
        return dict(_split(token)[1])
    except JWTError as e:
        raise JWTError(f"invalid bearer token. {e}") from None


def _numeric_date(claims: dict[str, Any], name: str) -> int | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise JWTError(f'invalid "{name}" claim')
    return int(value)


def verify(
    token: str,
    pub: PublicKey,
    *,
    now: int | None = None,
    audience: str | None = None,
    require_jti: bool = False,
) -> dict[str, object]:
    """Verify signature and time claims like jwx v2 defaults; absent time claims are not required."""
    header, claims, signature, signing_input = _split(token)
    if header.get("alg") != ALGORITHM:
        raise JWTError(f"unexpected alg {header.get('alg')!r}, want {ALGORITHM}")
    if len(signature) != 64:
        raise JWTError("invalid signature length")
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    if not (0 < r < SECP256K1_N and 0 < s < SECP256K1_N):
        raise JWTError("failed to verify signature")
    try:
        ok = verify_digest(pub, hashlib.sha256(signing_input).digest(), r, s)  # high-S is normalised
    except CryptoError:
        ok = False
    if not ok:
        raise JWTError("failed to verify signature")
    current = int(time.time()) if now is None else now
    exp = _numeric_date(claims, "exp")
    if exp is not None and not current < exp:
        raise JWTError("token is expired")
    nbf = _numeric_date(claims, "nbf")
    if nbf is not None and current < nbf:
        raise JWTError("token is not valid yet")
    iat = _numeric_date(claims, "iat")
    if iat is not None and current < iat:
        raise JWTError("token used before issued")
    if audience is not None:
        aud = claims.get("aud")
        audiences = aud if isinstance(aud, list) else [aud]
        if audience not in audiences:
            raise JWTError("aud not satisfied")
    if require_jti and not (isinstance(claims.get("jti"), str) and claims["jti"]):
        raise JWTError("jti not satisfied")
    return dict(claims)
