"""The presentation itself: a Data Integrity VP (JSON object) or a VP-JWT, bound to its holder.

Departure: the holder is required and the VP proof must be an ``authentication`` proof by one of the
holder's keys (the reference compares neither, did-reference §9.3). A VP without a proof is rejected
(the reference accepts one, §9.2). Challenge and domain are signed but not compared: a deal has no nonce.

A VP-JWT reaches the oracle *enveloped* (VC Data Model 2.0 §4.13, "enveloped verifiable presentation"):
``{"@context": [...], "type": "EnvelopedVerifiablePresentation", "id": "data:application/vp+jwt,<JWT>"}`` — a JSON
object, so the provider's data hash (JCS, an object or an array only) is defined for it. A bare JWT or a JSON string
holding one is still understood by :func:`verify_presentation` (other callers), but cannot be a DEP datum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

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


ENVELOPED: Final = "EnvelopedVerifiablePresentation"
VP_JWT_DATA_URL: Final = "data:application/vp+jwt,"
_ENVELOPE_FIELDS: Final = frozenset({"@context", "type", "id"})


def enveloped_jwt(document: dict[str, Any]) -> str | None:
    """The VP-JWT of an enveloped presentation, None when ``document`` is no envelope."""
    types = document.get("type")
    if not (types == ENVELOPED or (isinstance(types, list) and ENVELOPED in types)):
        return None
    extra = sorted(set(document) - _ENVELOPE_FIELDS)
    if extra:  # nothing outside the JWT is signed: refuse what would look like part of the presentation
        raise VPValidationError(f"presentation: an {ENVELOPED} holds only @context, type and id (got {extra[0]!r})")
    url = document.get("id")
    if not isinstance(url, str) or not url.startswith(VP_JWT_DATA_URL) or len(url) == len(VP_JWT_DATA_URL):
        raise VPValidationError(f"presentation: an {ENVELOPED} id must be {VP_JWT_DATA_URL}<VP-JWT>")
    return url[len(VP_JWT_DATA_URL):]


def envelope(token: str) -> dict[str, Any]:
    """The enveloped form of a VP-JWT (what a provider sends the oracle)."""
    return {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ENVELOPED, "id": VP_JWT_DATA_URL + token}


async def verify_presentation(vp_bytes: bytes, resolver: DIDResolver, now: float) -> VerifiedPresentation:
    """Parse and verify a VP given as JSON (an object, or a string holding a VP-JWT) or a bare VP-JWT."""
    try:
        parsed: object = orjson.loads(vp_bytes)
    except orjson.JSONDecodeError:
        parsed = vp_bytes.strip().decode("ascii", "replace") if vp_bytes.lstrip().startswith(b"ey") else None
    if isinstance(parsed, dict):
        token = enveloped_jwt(parsed)
        if token is not None:
            return await _verify_jwt_vp(token, resolver, now)
        return await _verify_ldp_vp(parsed, resolver, now)
    if isinstance(parsed, str):
        return await _verify_jwt_vp(parsed, resolver, now)
    raise VPValidationError("presentation must be a JSON object or a JWT")
