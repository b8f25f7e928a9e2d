import json

import pytest

from panacea.oracle.vp.credentials import VerifiedCredential, verify_credential
from panacea.oracle.vp.dids import MethodResolver
from panacea.oracle.vp.errors import VPValidationError
from tests.oracle.vp.kit import DIDS, NOW, didkit_errors, doc, kid, raw, run, sign_jwt, text

AFTER_EXPIRY = 1_893_456_000.0  # 2030-01-01T00:00:00Z, the fixtures' expirationDate
BEFORE_ISSUANCE = 1_704_067_199.0  # a second before 2024-01-01T00:00:00Z


def _verify(credential: object, now: float = NOW) -> VerifiedCredential:
    return run(verify_credential(credential, MethodResolver(), now, "credential 0"))


def _rejection(credential: object, now: float = NOW) -> str:
    with pytest.raises(VPValidationError) as e:
        _verify(credential, now)
    return str(e.value)


def test_every_fixture_credential_verifies_here_and_in_didkit() -> None:
    for name in ("vc_health.json", "vc_health_minor.json"):
        verified = _verify(doc(name))
        assert (verified.format, verified.issuer) == ("ldp_vc", DIDS["issuer"])
    verified = _verify(text("vc_health.jwt"))
    assert (verified.format, verified.issuer) == ("jwt_vc", DIDS["issuer"])
    assert verified.document["credentialSubject"] == {"id": DIDS["holder"], "age": 30, "country": "KR"}
    assert didkit_errors(
        [
            ("credential", raw("vc_health.json").decode(), {"proofPurpose": "assertionMethod"}),
            ("credential", raw("vc_health_minor.json").decode(), {"proofPurpose": "assertionMethod"}),
            ("credential", text("vc_health.jwt"), {"proofFormat": "jwt"}),
        ]
    ) == [[], [], []]


def test_validity_period_is_enforced() -> None:
    assert _rejection(doc("vc_health.json"), AFTER_EXPIRY) == "credential 0: credential has expired (expirationDate)"
    assert _rejection(doc("vc_health.json"), BEFORE_ISSUANCE) == (
        "credential 0: credential is not valid yet (issuanceDate)"
    )
    assert _rejection(text("vc_health.jwt"), AFTER_EXPIRY) == "credential 0: JWT has expired"
    assert _rejection(text("vc_health.jwt"), BEFORE_ISSUANCE) == "credential 0: JWT is not valid yet"


def test_dates_need_a_time_zone() -> None:
    credential = doc("vc_health.json")
    credential["expirationDate"] = "2030-01-01T00:00:00"
    assert _rejection(credential) == "credential 0: expirationDate must be a dateTime with a time zone"
    credential["expirationDate"] = 5
    assert _rejection(credential) == "credential 0: expirationDate must be a dateTime with a time zone"


def test_data_model_shape() -> None:
    credential = doc("vc_health.json")
    credential["type"] = ["HealthCredential"]
    assert _rejection(credential) == "credential 0: type must include VerifiableCredential"
    credential = doc("vc_health.json")
    credential["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    assert _rejection(credential) == "credential 0: @context must start with https://www.w3.org/2018/credentials/v1"
    credential = doc("vc_health.json")
    credential["issuer"] = {"name": "no id"}
    assert _rejection(credential) == "credential 0: issuer must be a DID"
    assert _rejection(7) == "credential 0: must be a JSON object or a JWT string"


def test_issuer_object_form_is_read() -> None:
    credential = doc("vc_health.json")
    credential["issuer"] = {"id": DIDS["holder"]}
    assert _rejection(credential) == (
        f"credential 0: verification method {kid('issuer')} does not belong to {DIDS['holder']}"
    )


def test_ldp_credential_needs_an_assertion_proof() -> None:
    credential = doc("vc_health.json")
    credential["proof"]["proofPurpose"] = "authentication"
    assert _rejection(credential) == "credential 0: proof purpose is 'authentication', want 'assertionMethod'"


def test_jwt_credential_claims() -> None:
    vc = json.loads(raw("vc_health.json"))
    del vc["proof"]
    header = {"alg": "ES256K", "kid": kid("issuer")}
    assert _rejection(sign_jwt(header, {"iss": DIDS["issuer"]}, "issuer")) == "credential 0: JWT has no vc claim"
    other = {"iss": DIDS["issuer"], "vc": {**vc, "issuer": DIDS["holder"]}}
    assert _rejection(sign_jwt(header, other, "issuer")) == "credential 0: vc issuer differs from the JWT iss"
    verified = _verify(
        sign_jwt(header, {"iss": DIDS["issuer"], "vc": {k: v for k, v in vc.items() if k != "issuer"}}, "issuer")
    )
    assert verified.document["issuer"] == DIDS["issuer"]
