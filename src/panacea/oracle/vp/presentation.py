"""The presentation itself: a Data Integrity VP (JSON object) or a VP-JWT, bound to its holder.

Departure: the holder is required and the VP proof must be an ``authentication`` proof by one of the
holder's keys (the reference compares neither, did-reference §9.3). A VP without a proof is rejected
(the reference accepts one, §9.2). Challenge and domain are signed but not compared: a deal has no nonce.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from panacea.oracle.vp.credentials import VerifiedCredential, check_data_model, verify_credential
from panacea.oracle.vp.dids import AUTHENTICATION, DIDResolver
from panacea.oracle.vp.errors import VPValidationError
from panacea.oracle.vp.jwt_proof import verify_jwt
from panacea.oracle.vp.ldp import verify_ldp_proof


@dataclass(frozen=True, slots=True)
class VerifiedPresentation:
    """A verified VP: the JSON its submission paths resolve in, and its credentials keyed by object id."""

    document: dict[str, Any]
    credentials: dict[int, VerifiedCredential]


def _embedded(document: dict[str, Any]) -> list[object]:
    embedded = document.get("verifiableCredential", [])
    if not isinstance(embedded, list):
        embedded = [embedded]
        document["verifiableCredential"] = embedded
    return embedded


async def _credentials(document: dict[str, Any], resolver: DIDResolver, now: float) -> dict[int, VerifiedCredential]:
    credentials: dict[int, VerifiedCredential] = {}
    for index, credential in enumerate(_embedded(document)):
        credentials[id(credential)] = await verify_credential(credential, resolver, now, f"credential {index}")
    return credentials


def _holder(document: dict[str, Any]) -> str:
    holder = document.get("holder")
    if not isinstance(holder, str):
        raise VPValidationError("presentation has no holder DID")
    return holder


async def _verify_ldp_vp(document: dict[str, Any], resolver: DIDResolver, now: float) -> VerifiedPresentation:
    check_data_model(document, "VerifiablePresentation", "presentation")
    holder = _holder(document)
    await verify_ldp_proof(document, resolver, purpose=AUTHENTICATION, controller=holder, what="presentation")
    return VerifiedPresentation(document, await _credentials(document, resolver, now))


async def _verify_jwt_vp(token: str, resolver: DIDResolver, now: float) -> VerifiedPresentation:
    verified = await verify_jwt(token, resolver, purpose=AUTHENTICATION, now=now, what="presentation")
    claim = verified.claims.get("vp")
    if not isinstance(claim, dict):
        raise VPValidationError("presentation: JWT has no vp claim")
    document = dict(claim)
    document.setdefault("holder", verified.issuer)
    if _holder(document) != verified.issuer:
        raise VPValidationError("presentation: vp holder differs from the JWT iss")
    check_data_model(document, "VerifiablePresentation", "presentation")
    return VerifiedPresentation(document, await _credentials(document, resolver, now))


async def verify_presentation(vp_bytes: bytes, resolver: DIDResolver, now: float) -> VerifiedPresentation:
    """Parse and verify a VP given as JSON (an object, or a string holding a VP-JWT) or a bare VP-JWT."""
    try:
        parsed: object = orjson.loads(vp_bytes)
    except orjson.JSONDecodeError:
        parsed = vp_bytes.strip().decode("ascii", "replace") if vp_bytes.lstrip().startswith(b"ey") else None
    if isinstance(parsed, dict):
        return await _verify_ldp_vp(parsed, resolver, now)
    if isinstance(parsed, str):
        return await _verify_jwt_vp(parsed, resolver, now)
    raise VPValidationError("presentation must be a JSON object or a JWT")
