"""Regenerate the VP validation fixtures (tests/oracle/vp/fixtures/) with didkit, an independent implementation.

Keys come from fixed seeds and ECDSA nonces are RFC 6979, and JSON files are written with sorted keys, so
a rerun writes the same JSON files. The JWTs differ in key order from run to run (didkit serialises its
maps in hash order and the JWT signs those bytes); each one verifies the same.
Usage: .venv/bin/python scripts/make_vp_fixtures.py
"""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import coincurve
import didkit

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "oracle" / "vp" / "fixtures"
CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1"
HEALTH_CONTEXT = {
    "HealthCredential": "https://example.org/panacea/HealthCredential",
    "age": "https://example.org/panacea/age",
    "country": "https://example.org/panacea/country",
    "bloodType": "https://example.org/panacea/bloodType",
}
SUBMISSION_CONTEXT = {
    "presentation_submission": {
        "@id": "https://identity.foundation/presentation-exchange/#presentation-submission",
        "@type": "@json",
    }
}
DEFINITION_ID = "panacea-health-deal"


def jwk(seed: bytes) -> str:
    """A secp256k1 JWK (with ``d``) from a fixed seed."""
    key = coincurve.PrivateKey(hashlib.sha256(b"panacea-vp-fixture/" + seed).digest())
    point = key.public_key.format(compressed=False)

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return json.dumps(
        {"kty": "EC", "crv": "secp256k1", "x": b64(point[1:33]), "y": b64(point[33:]), "d": b64(key.secret)}
    )


class Party:
    """A did:key identity with its JWK."""

    def __init__(self, seed: bytes) -> None:
        self.key = jwk(seed)
        self.did = didkit.key_to_did("key", self.key)
        self.method = f"{self.did}#{self.did.split(':')[2]}"


def health_credential(issuer: Party, subject: Party, age: int) -> dict[str, Any]:
    """An unsigned HealthCredential with age and country."""
    return {
        "@context": [CREDENTIALS_V1, HEALTH_CONTEXT],
        "id": f"urn:uuid:panacea-health-{age}",
        "type": ["VerifiableCredential", "HealthCredential"],
        "issuer": issuer.did,
        "issuanceDate": "2024-01-01T00:00:00Z",
        "expirationDate": "2030-01-01T00:00:00Z",
        "credentialSubject": {"id": subject.did, "age": age, "country": "KR"},
    }


def submission(fmt: str) -> dict[str, Any]:
    """The presentation_submission answering the health definition with the first credential."""
    return {
        "id": "panacea-health-submission",
        "definition_id": DEFINITION_ID,
        "descriptor_map": [{"id": "health", "format": fmt, "path": "$.verifiableCredential[0]"}],
    }


def presentation(holder: Party, credential: object, fmt: str) -> dict[str, Any]:
    """An unsigned presentation of one credential with its submission."""
    return {
        "@context": [CREDENTIALS_V1, SUBMISSION_CONTEXT],
        "type": ["VerifiablePresentation"],
        "holder": holder.did,
        "verifiableCredential": [credential],
        "presentation_submission": submission(fmt),
    }


async def sign_vc(credential: dict[str, Any], issuer: Party, jwt: bool = False) -> Any:
    """didkit's assertionMethod proof (LDP) or VC-JWT."""
    options: dict[str, Any] = {"proofPurpose": "assertionMethod", "verificationMethod": issuer.method}
    options.update({"proofFormat": "jwt"} if jwt else {"created": "2024-01-02T00:00:00Z"})
    signed = await didkit.issue_credential(json.dumps(credential), json.dumps(options), issuer.key)
    return signed if jwt else json.loads(signed)


async def sign_vp(vp: dict[str, Any], signer: Party, jwt: bool = False) -> Any:
    """didkit's authentication proof (LDP, with challenge and domain) or VP-JWT."""
    options: dict[str, Any] = {"proofPurpose": "authentication", "verificationMethod": signer.method}
    if jwt:
        options["proofFormat"] = "jwt"
    else:
        options.update({"created": "2024-01-03T00:00:00Z", "challenge": "deal-1", "domain": "panacea"})
    signed = await didkit.issue_presentation(json.dumps(vp), json.dumps(options), signer.key)
    return signed if jwt else json.loads(signed)


def definition(fields: list[dict[str, Any]], **constraints: Any) -> dict[str, Any]:
    """A presentation definition with one input descriptor named health."""
    return {
        "id": DEFINITION_ID,
        "input_descriptors": [{"id": "health", "constraints": {"fields": fields, **constraints}}],
    }


ADULT_FIELDS = [
    {"id": "type", "path": ["$.type"], "filter": {"type": "array", "contains": {"const": "HealthCredential"}}},
    {
        "id": "age",
        "path": ["$.credentialSubject.age", "$.vc.credentialSubject.age"],
        "filter": {"type": "integer", "minimum": 18},
    },
    {"id": "country", "path": ["$.credentialSubject.country"], "filter": {"type": "string", "enum": ["KR", "US"]}},
]
BLOOD_TYPE = {"id": "bloodType", "path": ["$.credentialSubject.bloodType"], "filter": {"type": "string"}}


def write(name: str, value: Any) -> None:
    """One fixture file: JSON (indented) or a JWT (text)."""
    text = value if isinstance(value, str) else json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    (FIXTURES / name).write_text(text + "\n", encoding="utf-8")


async def make() -> None:
    """Every fixture the VP tests read."""
    issuer, holder, attacker = Party(b"issuer"), Party(b"holder"), Party(b"attacker")
    vc = await sign_vc(health_credential(issuer, holder, 30), issuer)
    minor = await sign_vc(health_credential(issuer, holder, 16), issuer)
    vc_jwt = await sign_vc(health_credential(issuer, holder, 30), issuer, jwt=True)
    tampered_vc = copy.deepcopy(vc)
    tampered_vc["credentialSubject"]["age"] = 17
    vp = await sign_vp(presentation(holder, vc, "ldp_vc"), holder)
    tampered_proof = copy.deepcopy(vp)
    tampered_proof["proof"]["created"] = "2024-01-04T00:00:00Z"
    write("vc_health.json", vc)
    write("vc_health_minor.json", minor)
    write("vc_health.jwt", vc_jwt)
    write("vp_ldp.json", vp)
    write("vp_ldp_minor.json", await sign_vp(presentation(holder, minor, "ldp_vc"), holder))
    write("vp_jwt.jwt", await sign_vp(presentation(holder, vc_jwt, "jwt_vc"), holder, jwt=True))
    write("vp_tampered_vc.json", await sign_vp(presentation(holder, tampered_vc, "ldp_vc"), holder))
    write("vp_tampered_proof.json", tampered_proof)
    # didkit refuses to sign for a holder with another key: sign as the attacker, then claim the holder.
    not_holder_key = await sign_vp(presentation(attacker, vc, "ldp_vc"), attacker)
    write("vp_not_holder_key.json", {**not_holder_key, "holder": holder.did})
    write("pd_adult.json", definition(ADULT_FIELDS))
    write("pd_required_missing.json", definition([*ADULT_FIELDS, BLOOD_TYPE]))
    write("pd_optional_missing.json", definition([*ADULT_FIELDS, {**BLOOD_TYPE, "optional": True}]))
    write("pd_limit_disclosure.json", definition(ADULT_FIELDS, limit_disclosure="required"))
    write("dids.json", {"issuer": issuer.did, "holder": holder.did, "attacker": attacker.did})


def main() -> None:
    """Write the fixtures; exit without finalising (didkit's runtime aborts at interpreter shutdown)."""
    FIXTURES.mkdir(parents=True, exist_ok=True)
    asyncio.run(make())
    os._exit(0)


if __name__ == "__main__":
    main()
