"""ES256K JWT proofs of VC-JWT credentials and presentations (dependencies §5 route 2).

The ``kid`` header names the verification method; its DID must be the ``iss`` claim. ``exp`` and ``nbf``
are checked against the validator's clock (numbers, seconds); ``iat`` is not a validity bound here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from panacea.oracle.vp.dids import DIDResolver, verification_key
from panacea.oracle.vp.errors import VPValidationError
from panacea.oracle.vp.es256k import b64url_decode, verify_es256k


@dataclass(frozen=True, slots=True)
class VerifiedJWT:
    """The claims of a JWT whose signature, issuer binding and time bounds were checked."""

    issuer: str
    claims: dict[str, Any]


def _segment(part: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(b64url_decode(part, what))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise VPValidationError(f"{what}: JWT segment is not JSON") from None
    if not isinstance(value, dict):
        raise VPValidationError(f"{what}: JWT segment is not a JSON object")
    return value


def _check_times(claims: dict[str, Any], now: float, what: str) -> None:
    for name in ("exp", "nbf"):
        value = claims.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise VPValidationError(f"{what}: JWT claim {name} must be a number")
    if claims.get("exp") is not None and not now < claims["exp"]:
        raise VPValidationError(f"{what}: JWT has expired")
    if claims.get("nbf") is not None and now < claims["nbf"]:
        raise VPValidationError(f"{what}: JWT is not valid yet")


async def verify_jwt(token: str, resolver: DIDResolver, *, purpose: str, now: float, what: str) -> VerifiedJWT:
    """Check a compact ES256K JWT signed by a key of its ``iss`` DID for ``purpose``."""
    parts = token.split(".")
    if len(parts) != 3:
        raise VPValidationError(f"{what}: JWT must have 3 dot-separated parts, got {len(parts)}")
    header = _segment(parts[0], what)
    claims = _segment(parts[1], what)
    if header.get("alg") != "ES256K":
        raise VPValidationError(f"{what}: JWT alg is {header.get('alg')!r}, want 'ES256K'")
    issuer = claims.get("iss")
    if not isinstance(issuer, str):
        raise VPValidationError(f"{what}: JWT has no iss claim")
    key = await verification_key(resolver, header.get("kid"), purpose, issuer, what)
    verify_es256k(key, f"{parts[0]}.{parts[1]}".encode("ascii"), b64url_decode(parts[2], what), what)
    _check_times(claims, now, what)
    return VerifiedJWT(issuer, claims)
