"""The SDK's signing side (panacea.client.dep.credentials): credentials and presentations it makes are the ones
didkit makes (the fixtures of tests/oracle/vp, byte for byte), verify with the oracle's DefaultPresentationValidator
and with didkit (an independent implementation; embedded VCs checked one by one, as didkit's verify_presentation
skips them), match the deal's definition, and fail once tampered; every bad input is a clear CredentialError."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import base58
import pytest

from panacea.client.dep.credentials import (
    CredentialError,
    credential_view,
    did_key,
    issue_credential,
    key_method_id,
    load_credential,
    make_presentation,
    presentation_bytes,
    presentation_submission,
)
from panacea.client.dep.did import document_for
from panacea.crypto.did import did_for_key
from panacea.crypto.keys import PrivateKey
from panacea.oracle.vp import DefaultPresentationValidator, DIDKeyResolver, MethodResolver, VerificationMethod
from panacea.oracle.vp.dids import ASSERTION_METHOD, AUTHENTICATION
from tests.oracle.vp import kit

ISSUER = PrivateKey(kit.secret("issuer"))
HOLDER = PrivateKey(kit.secret("holder"))
ATTACKER = PrivateKey(kit.secret("attacker"))
ISSUER_DID, HOLDER_DID = kit.DIDS["issuer"], kit.DIDS["holder"]
HEALTH_CONTEXT = kit.doc("vc_health.json")["@context"][1]
PD = kit.raw("pd_adult.json")
ISSUED, EXPIRES = "2024-01-01T00:00:00Z", "2030-01-01T00:00:00Z"


def vc(form: str = "ldp", age: int = 30, **overrides: Any) -> Any:
    args: dict[str, Any] = {"types": ["HealthCredential"], "context": [HEALTH_CONTEXT], "issuance_date": ISSUED,
                            "expiration_date": EXPIRES, "credential_id": f"urn:uuid:panacea-health-{age}",
                            "created": datetime(2024, 1, 2, tzinfo=UTC), "form": form}
    subject = overrides.pop("subject", {"id": HOLDER_DID, "age": age, "country": "KR"})
    issuer = overrides.pop("issuer", ISSUER_DID)
    args.update(overrides)
    return issue_credential(subject, issuer, kit.kid("issuer"), ISSUER, **args)


def vp(credentials: Sequence[Any], form: str = "ldp", **overrides: Any) -> Any:
    args: dict[str, Any] = {"definition": PD, "form": form, "challenge": "deal-1", "domain": "panacea",
                            "created": datetime(2024, 1, 3, tzinfo=UTC), "submission_id": "panacea-health-submission"}
    args.update(overrides)
    return make_presentation(list(credentials), HOLDER_DID, kit.kid("holder"), HOLDER, **args)


def as_bytes(presentation: dict[str, Any] | str) -> bytes:
    return presentation.encode() if isinstance(presentation, str) else json.dumps(presentation).encode()


def segment(part: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return value


def claims(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _ = token.split(".")
    return segment(header), segment(payload)


def didkit_checks(credentials: Sequence[Any], presentation: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """didkit's check of the presentation and, separately, of each credential (its VP check skips them)."""
    jwt = {"proofFormat": "jwt"}
    out = [("credential", c if isinstance(c, str) else json.dumps(c),
            jwt if isinstance(c, str) else {"proofPurpose": "assertionMethod"}) for c in credentials]
    out.append(("presentation", presentation if isinstance(presentation, str) else json.dumps(presentation),
                {**(jwt if isinstance(presentation, str) else {"proofPurpose": "authentication"}),
                 "challenge": "deal-1", "domain": "panacea"}))
    return out


# --- the same bytes as didkit ------------------------------------------------------------------------------------
def test_did_key_and_method_ids_are_didkits() -> None:
    assert [did_key(k.public_key()) for k in (ISSUER, HOLDER, ATTACKER)] == [
        kit.DIDS["issuer"], kit.DIDS["holder"], kit.DIDS["attacker"]]
    assert key_method_id(ISSUER_DID) == kit.kid("issuer")
    panacea = did_for_key(HOLDER.public_key())
    assert key_method_id(panacea) == f"{panacea}#key1"
    with pytest.raises(CredentialError) as e:
        key_method_id("did:web:example.org")
    assert str(e.value) == "choose key: 'did:web:example.org' is neither a did:key nor a did:panacea DID"


def test_a_data_integrity_credential_is_didkits_byte_for_byte() -> None:
    assert vc() == kit.doc("vc_health.json")  # RFC 6979: the same signing input gives the same signature
    assert vc(age=16) == kit.doc("vc_health_minor.json")


def test_a_data_integrity_presentation_is_didkits_byte_for_byte() -> None:
    assert vp([vc()]) == kit.doc("vp_ldp.json")
    bare = vp([vc(age=16)], definition=None)
    assert "presentation_submission" not in bare and bare["@context"] == ["https://www.w3.org/2018/credentials/v1"]
    assert kit.didkit_errors(didkit_checks([], bare)) == [[]]


# --- verification by the oracle and by didkit ---------------------------------------------------------------------
@pytest.mark.parametrize(("vc_form", "vp_form"), [("ldp", "ldp"), ("jwt", "ldp"), ("ldp", "jwt"), ("jwt", "jwt")])
def test_credentials_and_presentations_verify_with_the_oracle_and_didkit(vc_form: str, vp_form: str) -> None:
    credential = vc(vc_form)
    presentation = vp([credential], vp_form)
    kit.validate(as_bytes(presentation))
    assert kit.didkit_errors(didkit_checks([credential], presentation)) == [[], []]


def test_a_vc_jwt_carries_the_vc_data_model_claims() -> None:
    header, body = claims(vc("jwt"))
    assert header == {"alg": "ES256K", "kid": kit.kid("issuer"), "typ": "JWT"}
    assert body == {"iss": ISSUER_DID, "nbf": 1704067200, "exp": 1893456000, "sub": HOLDER_DID,
                    "jti": "urn:uuid:panacea-health-30",
                    "vc": {"@context": ["https://www.w3.org/2018/credentials/v1", HEALTH_CONTEXT],
                           "id": "urn:uuid:panacea-health-30", "type": ["VerifiableCredential", "HealthCredential"],
                           "issuer": ISSUER_DID, "issuanceDate": ISSUED, "expirationDate": EXPIRES,
                           "credentialSubject": {"id": HOLDER_DID, "age": 30, "country": "KR"}}}


def test_a_vp_jwt_carries_its_holder_nonce_and_audience() -> None:
    credential = vc("jwt")
    header, body = claims(vp([credential], "jwt"))
    assert header == {"alg": "ES256K", "kid": kit.kid("holder"), "typ": "JWT"}
    assert body == {"iss": HOLDER_DID, "iat": 1704240000, "nonce": "deal-1", "aud": "panacea", "vp": {
        "@context": ["https://www.w3.org/2018/credentials/v1", kit.doc("vp_ldp.json")["@context"][1]],
        "type": ["VerifiablePresentation"], "holder": HOLDER_DID, "verifiableCredential": [credential],
        "presentation_submission": {"id": "panacea-health-submission", "definition_id": "panacea-health-deal",
                                    "descriptor_map": [{"id": "health", "format": "jwt_vc",
                                                        "path": "$.verifiableCredential[0]"}]}}}


def test_tampered_credentials_and_presentations_fail_both_verifiers() -> None:
    credential = vc()
    edited = copy.deepcopy(credential)
    edited["credentialSubject"]["age"] = 40
    assert kit.rejection(as_bytes(vp([edited]))) == "credential 0: signature does not verify"
    presentation = vp([credential])
    presentation["holder"] = kit.DIDS["attacker"]
    assert kit.rejection(as_bytes(presentation)) == (
        f"presentation: verification method {kit.kid('holder')} does not belong to {kit.DIDS['attacker']}")
    replaced = vp([credential])
    replaced["verifiableCredential"][0] = vc(age=31)
    assert kit.rejection(as_bytes(replaced)) == "presentation: signature does not verify"
    head, body, sig = vc("jwt").split(".")
    payload = segment(body)
    payload["vc"]["credentialSubject"]["age"] = 40
    forged = f"{head}.{base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b'=').decode()}.{sig}"
    assert kit.rejection(as_bytes(vp([forged]))) == "credential 0: signature does not verify"
    assert kit.didkit_errors([("credential", json.dumps(edited), {"proofPurpose": "assertionMethod"}),
                              ("presentation", json.dumps(replaced), {"proofPurpose": "authentication",
                                                                      "challenge": "deal-1", "domain": "panacea"}),
                              ("credential", forged, {"proofFormat": "jwt"})]) == [
        ["signature error"], ["signature error"], ["Unable to filter proofs: signature error"]]


def test_the_signer_must_hold_the_did_key() -> None:
    with pytest.raises(CredentialError) as e:
        issue_credential({"id": HOLDER_DID}, ISSUER_DID, kit.kid("issuer"), ATTACKER, issuance_date=ISSUED)
    assert str(e.value) == f"issue credential: the key is not the key of {ISSUER_DID}"
    with pytest.raises(CredentialError) as e:
        make_presentation([vc()], HOLDER_DID, kit.kid("issuer"), HOLDER)
    assert str(e.value) == (f"make presentation: verification method {kit.kid('issuer')!r} is not a key of "
                            f"{HOLDER_DID} (<did>#<fragment>)")


# --- did:panacea signers ----------------------------------------------------------------------------------------
class DocumentResolver:
    """did:panacea from documents as create_did registers them (the chain-backed resolver is the oracle's)."""

    def __init__(self, *keys: PrivateKey) -> None:
        self.documents = {did_for_key(k.public_key()): document_for(k) for k in keys}

    async def resolve(self, did: str) -> Sequence[VerificationMethod]:
        document = self.documents[did]
        purposes = {m.id: set() for m in document.verification_methods}
        for purpose, relationships in ((AUTHENTICATION, document.authentications),
                                       (ASSERTION_METHOD, document.assertion_methods)):
            for r in relationships:
                purposes[r.verification_method_id].add(purpose)
        return [VerificationMethod(m.id, m.controller, base58.b58decode(m.public_key_base58),
                                   frozenset(purposes[m.id])) for m in document.verification_methods]


def test_did_panacea_issuers_and_holders_sign_with_key1() -> None:
    issuer, holder = did_for_key(ISSUER.public_key()), did_for_key(HOLDER.public_key())
    resolver = MethodResolver({"key": DIDKeyResolver(), "panacea": DocumentResolver(ISSUER, HOLDER)})
    for form in ("ldp", "jwt"):
        credential = issue_credential({"id": holder, "age": 30, "country": "KR"}, issuer, key_method_id(issuer),
                                      ISSUER, types=["HealthCredential"], context=[HEALTH_CONTEXT],
                                      issuance_date=ISSUED, form="jwt" if form == "jwt" else "ldp")
        presentation = make_presentation([credential], holder, f"{holder}#key1", HOLDER, definition=PD)
        kit.run(DefaultPresentationValidator(resolver, clock=lambda: kit.NOW).validate(as_bytes(presentation), PD))
    assert isinstance(presentation, dict) and presentation["proof"]["verificationMethod"] == f"{holder}#key1"


# --- the presentation submission --------------------------------------------------------------------------------
def test_the_submission_names_the_first_credential_meeting_each_descriptor() -> None:
    minor, adult = vc(age=16), vc("jwt")
    submission = presentation_submission(PD, [minor, adult], submission_id="s1")
    assert submission == {"id": "s1", "definition_id": "panacea-health-deal", "descriptor_map": [
        {"id": "health", "format": "jwt_vc", "path": "$.verifiableCredential[1]"}]}
    kit.validate(as_bytes(vp([minor, adult])))
    two = {"id": "two", "input_descriptors": [
        {"id": "adult", "constraints": {"fields": [{"path": ["$.credentialSubject.age"],
                                                     "filter": {"type": "integer", "minimum": 18}}]}},
        {"id": "any", "constraints": {"fields": [{"path": ["$.credentialSubject.age"]}]}}]}
    assert presentation_submission(two, [minor, adult], submission_id="s2")["descriptor_map"] == [
        {"id": "adult", "format": "jwt_vc", "path": "$.verifiableCredential[1]"},
        {"id": "any", "format": "ldp_vc", "path": "$.verifiableCredential[0]"}]
    assert str(presentation_submission(PD, [adult])["id"]).startswith("urn:uuid:")


def test_no_credential_meeting_a_descriptor_is_an_error_before_signing() -> None:
    with pytest.raises(CredentialError) as e:
        vp([vc(age=16)])
    assert str(e.value) == ("make presentation: no credential meets input descriptor 'health' (credential 0: "
                            "input descriptor 'health' field 'age': value does not satisfy the filter (16 is less "
                            "than the minimum of 18))")
    with pytest.raises(CredentialError) as e:
        vp([vc()], definition=b'{"id": "x"}')
    assert str(e.value) == ("make presentation: the presentation definition is not usable: presentation "
                            "definition: input_descriptors must be a non-empty list")
    with pytest.raises(CredentialError) as e:
        vp([])
    assert str(e.value) == "make presentation: a presentation needs at least one credential"
    with pytest.raises(CredentialError) as e:
        vp([vc()], form="cbor")
    assert str(e.value) == "make presentation: unknown form 'cbor' (ldp or jwt)"
    with pytest.raises(CredentialError) as e:
        vp(["not a jwt"])
    assert str(e.value) == "make presentation: a credential is neither a JSON object nor a VC-JWT"


# --- bad credential input ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("overrides", "message"), [
    ({"subject": {}}, "the credential subject must be a non-empty JSON object"),
    ({"issuance_date": "yesterday"}, "issuanceDate 'yesterday' is not an ISO 8601 date-time"),
    ({"issuance_date": "2024-01-01T00:00:00"}, "issuanceDate needs a time zone (e.g. 2025-01-01T00:00:00Z)"),
    ({"expiration_date": "2023-01-01T00:00:00Z"}, "expirationDate must come after issuanceDate"),
    ({"form": "cbor"}, "unknown form 'cbor' (ldp or jwt)"),
    ({"subject": {"id": HOLDER_DID, "weight": 70}}, "document: term 'weight' is not defined by its @context"),
    ({"context": ["https://example.org/remote-context"]},
     "document: JSON-LD context https://example.org/remote-context is not bundled (contexts are never fetched)"),
    ({"issuer": "nobody"}, "'nobody' is not a DID"),
])
def test_bad_credential_input_is_a_clear_error(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(CredentialError) as e:
        vc(**overrides)
    assert str(e.value) == f"issue credential: {message}"


def test_credential_files_and_what_a_provider_sends() -> None:
    token = vc("jwt")
    assert load_credential(f"{token}\n".encode(), "a.jwt") == token
    assert load_credential(json.dumps(token).encode(), "a.json") == token
    assert load_credential(json.dumps(vc()).encode(), "a.json") == vc()
    for raw, message in ((b"{", "x is neither JSON nor a JWT"),
                         (b"[1]", "x is neither a JSON credential object nor a VC-JWT")):
        with pytest.raises(CredentialError) as e:
            load_credential(raw, "x")
        assert str(e.value) == f"read credential: {message}"
    assert credential_view(token)["credentialSubject"] == {"id": HOLDER_DID, "age": 30, "country": "KR"}
    assert json.loads(presentation_bytes(vp([vc()]))) == vp([vc()])
    token = vp([vc()], "jwt")
    assert isinstance(token, str)
    assert json.loads(presentation_bytes(token)) == {  # a VP-JWT goes enveloped in a JSON object (JCS-hashable)
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": "EnvelopedVerifiablePresentation",
        "id": f"data:application/vp+jwt,{token}"}
