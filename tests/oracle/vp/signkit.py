"""Test-side signing of Data Integrity VCs and VPs (EcdsaSecp256k1Signature2019) and ES256K JWTs with any secp256k1
key, for DIDs didkit cannot resolve (did:panacea). It mirrors the verifier's signing input
(panacea.oracle.vp.ldp): ``b64url(header) + "." + sha256(URDNA2015(options)) + sha256(URDNA2015(document))``,
signed as a 64-byte R‖S low-S ECDSA over its SHA-256 (panacea.crypto.signature). didkit checks the same
construction for did:key in tests/oracle/vp (the fixtures), so this kit signs what an independent signer would.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from typing import Any, Final

from panacea.crypto.keys import PrivateKey
from panacea.crypto.signature import sign_tx_bytes
from panacea.oracle.vp.jsonld import canonical_nquads, expand_checked

SUITE: Final = "EcdsaSecp256k1Signature2019"
JWS_HEADER: Final = b'{"alg":"ES256K","crit":["b64"],"b64":false}'
CREDENTIALS_V1: Final = "https://www.w3.org/2018/credentials/v1"
HEALTH_CONTEXT: Final = {
    "HealthCredential": "https://example.org/panacea/HealthCredential",
    "age": "https://example.org/panacea/age",
    "country": "https://example.org/panacea/country",
}
SUBMISSION_CONTEXT: Final = {
    "presentation_submission": {
        "@id": "https://identity.foundation/presentation-exchange/#presentation-submission",
        "@type": "@json",
    }
}
DEFINITION_ID: Final = "panacea-health-deal"


def b64url(data: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _digest(document: dict[str, Any], what: str) -> bytes:
    return hashlib.sha256(canonical_nquads(expand_checked(document, what), what)).digest()


def sign_ldp(document: dict[str, Any], key: PrivateKey, method_id: str, purpose: str, *,
             created: str = "2024-01-03T00:00:00Z", **options: str) -> dict[str, Any]:
    """``document`` with a detached-JWS EcdsaSecp256k1Signature2019 proof by ``key`` naming ``method_id``."""
    unsigned = copy.deepcopy(document)
    unsigned.pop("proof", None)
    proof: dict[str, Any] = {"type": SUITE, "created": created, "proofPurpose": purpose,
                             "verificationMethod": method_id, **options}
    header = b64url(JWS_HEADER)
    signing_input = b"".join((header.encode(), b".", _digest({**proof, "@context": unsigned.get("@context")}, "proof"),
                              _digest(unsigned, "document")))
    proof["jws"] = f"{header}..{b64url(sign_tx_bytes(key, signing_input))}"
    return {**unsigned, "proof": proof}


def sign_jwt(header: dict[str, Any], claims: dict[str, Any], key: PrivateKey) -> str:
    """A compact ES256K JWT (R‖S, low-S) by ``key``."""
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    return f"{signing_input}.{b64url(sign_tx_bytes(key, signing_input.encode()))}"


def health_credential(issuer: str, subject: str, age: int = 30) -> dict[str, Any]:
    """An unsigned HealthCredential (the health definition's shape) by ``issuer`` about ``subject``."""
    return {
        "@context": [CREDENTIALS_V1, HEALTH_CONTEXT],
        "id": f"urn:uuid:panacea-health-{age}",
        "type": ["VerifiableCredential", "HealthCredential"],
        "issuer": issuer,
        "issuanceDate": "2024-01-01T00:00:00Z",
        "expirationDate": "2030-01-01T00:00:00Z",
        "credentialSubject": {"id": subject, "age": age, "country": "KR"},
    }


def presentation(holder: str, credentials: list[dict[str, Any]]) -> dict[str, Any]:
    """An unsigned VP of ``holder`` submitting its first credential for the health definition."""
    return {
        "@context": [CREDENTIALS_V1, SUBMISSION_CONTEXT],
        "type": ["VerifiablePresentation"],
        "holder": holder,
        "presentation_submission": {
            "id": "panacea-health-submission", "definition_id": DEFINITION_ID,
            "descriptor_map": [{"id": "health", "format": "ldp_vc", "path": "$.verifiableCredential[0]"}],
        },
        "verifiableCredential": credentials,
    }


def signed_vp(holder_key: PrivateKey, holder_method: str, issuer_key: PrivateKey, issuer_method: str, *,
              holder: str | None = None, issuer: str | None = None) -> dict[str, Any]:
    """A health VP: a VC signed for assertionMethod by ``issuer_method`` inside a VP signed for authentication by
    ``holder_method``; the holder and issuer DIDs are the methods' own unless given."""
    holder = holder or holder_method.split("#", 1)[0]
    issuer = issuer or issuer_method.split("#", 1)[0]
    credential = sign_ldp(health_credential(issuer, holder), issuer_key, issuer_method, "assertionMethod",
                          created="2024-01-02T00:00:00Z")
    return sign_ldp(presentation(holder, [credential]), holder_key, holder_method, "authentication",
                    challenge="deal-1", domain="panacea")
