"""Data Integrity ``EcdsaSecp256k1Signature2019`` proofs (dependencies §5, the pragmatic offline route).

Signing input: ``b64url(header) + "." + sha256(URDNA2015(proof options)) + sha256(URDNA2015(document))``,
where the proof options are the proof without ``jws`` under the document's ``@context`` and the header
is ``{"alg":"ES256K","b64":false,"crit":["b64"]}`` (a detached JWS with an unencoded payload).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Final

from panacea.oracle.vp.dids import DIDResolver, verification_key
from panacea.oracle.vp.errors import VPValidationError
from panacea.oracle.vp.es256k import b64url_decode, verify_es256k
from panacea.oracle.vp.jsonld import canonical_nquads, expand_checked

SUITE: Final = "EcdsaSecp256k1Signature2019"
_JWS_HEADER: Final = {"alg": "ES256K", "b64": False, "crit": ["b64"]}


def _detached_jws(jws: object, what: str) -> tuple[str, bytes]:
    parts = jws.split(".") if isinstance(jws, str) else []
    if len(parts) != 3 or parts[1]:
        raise VPValidationError(f"{what}: proof jws must be a detached JWS (header..signature)")
    try:
        header = json.loads(b64url_decode(parts[0], what))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise VPValidationError(f"{what}: proof jws header is not JSON") from None
    if header != _JWS_HEADER:
        raise VPValidationError(f"{what}: proof jws header must be {json.dumps(_JWS_HEADER, separators=(',', ':'))}")
    return parts[0], b64url_decode(parts[2], what)


def _proof_of(document: dict[str, Any], purpose: str, what: str) -> dict[str, Any]:
    proof = document.get("proof")
    if proof is None:
        raise VPValidationError(f"{what} has no proof")
    if not isinstance(proof, dict):
        raise VPValidationError(f"{what}: proof must be one JSON object (proof sets are not supported)")
    if proof.get("type") != SUITE:
        raise VPValidationError(f"{what}: proof type {proof.get('type')!r} is not supported (only {SUITE})")
    if proof.get("proofPurpose") != purpose:
        raise VPValidationError(f"{what}: proof purpose is {proof.get('proofPurpose')!r}, want {purpose!r}")
    return proof


async def verify_ldp_proof(
    document: dict[str, Any], resolver: DIDResolver, *, purpose: str, controller: str, what: str
) -> None:
    """Check ``document``'s proof: suite, purpose, a key of ``controller`` for that purpose, signature."""
    proof = _proof_of(document, purpose, what)
    key = await verification_key(resolver, proof.get("verificationMethod"), purpose, controller, what)
    header, signature = _detached_jws(proof.get("jws"), what)
    unsigned = {name: value for name, value in document.items() if name != "proof"}
    options = {name: value for name, value in proof.items() if name != "jws"}
    options["@context"] = document.get("@context")
    signing_input = b"".join(
        (
            header.encode("ascii"),
            b".",
            hashlib.sha256(canonical_nquads(expand_checked(options, f"{what} proof"), f"{what} proof")).digest(),
            hashlib.sha256(canonical_nquads(expand_checked(unsigned, what), what)).digest(),
        )
    )
    verify_es256k(key, signing_input, signature, what)
