"""Embedded credentials: every one is verified (didkit's verify_presentation skips them, dependencies §5).

A verified credential is kept as the JSON the presentation definition's field paths read: a Data Integrity
credential as it stands, a VC-JWT as its ``vc`` claim with ``issuer`` from ``iss`` and the subject id
from ``sub`` when absent (the VC-JWT mapping of VC Data Model 1.1 §6.3.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from panacea.oracle.vp.dids import ASSERTION_METHOD, DIDResolver
from panacea.oracle.vp.errors import VPValidationError
from panacea.oracle.vp.jwt_proof import verify_jwt
from panacea.oracle.vp.ldp import verify_ldp_proof

CREDENTIALS_V1: Final = "https://www.w3.org/2018/credentials/v1"
LDP_VC: Final = "ldp_vc"
JWT_VC: Final = "jwt_vc"


@dataclass(frozen=True, slots=True)
class VerifiedCredential:
    """A credential whose proof, issuer binding and validity period were checked."""

    format: str
    issuer: str
    document: dict[str, Any]


def check_data_model(document: dict[str, Any], kind: str, what: str) -> None:
    """VC Data Model 1.1 shape: credentials/v1 first and the base type present."""
    context = document.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    if first != CREDENTIALS_V1:
        raise VPValidationError(f"{what}: @context must start with {CREDENTIALS_V1}")
    types = document.get("type")
    if kind != types and not (isinstance(types, list) and kind in types):
        raise VPValidationError(f"{what}: type must include {kind}")


def _issuer_id(document: dict[str, Any], what: str) -> str:
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str):
        raise VPValidationError(f"{what}: issuer must be a DID")
    return issuer_id


def _timestamp(document: dict[str, Any], name: str, what: str) -> float | None:
    value = document.get(name)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise VPValidationError(f"{what}: {name} must be a dateTime with a time zone")
    return moment.timestamp()


def _check_period(document: dict[str, Any], now: float, what: str) -> None:
    issued = _timestamp(document, "issuanceDate", what)
    expires = _timestamp(document, "expirationDate", what)
    if issued is not None and now < issued:
        raise VPValidationError(f"{what}: credential is not valid yet (issuanceDate)")
    if expires is not None and not now < expires:
        raise VPValidationError(f"{what}: credential has expired (expirationDate)")


async def _verify_ldp(document: dict[str, Any], resolver: DIDResolver, now: float, what: str) -> VerifiedCredential:
    check_data_model(document, "VerifiableCredential", what)
    issuer = _issuer_id(document, what)
    _check_period(document, now, what)  # cheap checks before URDNA2015
    await verify_ldp_proof(document, resolver, purpose=ASSERTION_METHOD, controller=issuer, what=what)
    return VerifiedCredential(LDP_VC, issuer, document)


async def _verify_jwt(token: str, resolver: DIDResolver, now: float, what: str) -> VerifiedCredential:
    verified = await verify_jwt(token, resolver, purpose=ASSERTION_METHOD, now=now, what=what)
    claim = verified.claims.get("vc")
    if not isinstance(claim, dict):
        raise VPValidationError(f"{what}: JWT has no vc claim")
    document = dict(claim)
    document.setdefault("issuer", verified.issuer)
    if _issuer_id(document, what) != verified.issuer:
        raise VPValidationError(f"{what}: vc issuer differs from the JWT iss")
    subject = document.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(verified.claims.get("sub"), str):
        document["credentialSubject"] = {"id": verified.claims["sub"], **subject}
    check_data_model(document, "VerifiableCredential", what)
    return VerifiedCredential(JWT_VC, verified.issuer, document)


async def verify_credential(credential: object, resolver: DIDResolver, now: float, what: str) -> VerifiedCredential:
    """Verify one embedded credential, a JSON object (Data Integrity) or a string (VC-JWT)."""
    if isinstance(credential, dict):
        return await _verify_ldp(credential, resolver, now, what)
    if isinstance(credential, str):
        return await _verify_jwt(credential, resolver, now, what)
    raise VPValidationError(f"{what}: must be a JSON object or a JWT string")
