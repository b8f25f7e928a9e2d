import json

from panacea.oracle.vp import DefaultPresentationValidator, PresentationValidator
from tests.oracle.vp.kit import DIDS, didkit_errors, raw, rejection, text, validate

HOLDER_KEY = f"{DIDS['attacker']}#{DIDS['attacker'].split(':')[2]}"


def test_default_validator_has_the_oracle_interface() -> None:
    validator: PresentationValidator = DefaultPresentationValidator()
    assert validator is not None


def test_valid_ldp_and_jwt_presentations_are_accepted() -> None:
    validate("vp_ldp.json")
    validate("vp_jwt.jwt")
    validate(json.dumps(text("vp_jwt.jwt")).encode())  # a JSON string holding the VP-JWT


def test_optional_field_missing_is_accepted() -> None:
    validate("vp_ldp.json", "pd_optional_missing.json")
    validate("vp_jwt.jwt", "pd_optional_missing.json")


def test_filter_violation_is_rejected() -> None:
    assert rejection("vp_ldp_minor.json") == (
        "input descriptor 'health' field 'age': value does not satisfy the filter (16 is less than the minimum of 18)"
    )


def test_required_field_missing_is_rejected() -> None:
    expected = "input descriptor 'health' field 'bloodType': the submitted credential has no value at its path"
    assert rejection("vp_ldp.json", "pd_required_missing.json") == expected
    assert rejection("vp_jwt.jwt", "pd_required_missing.json") == expected


def test_limit_disclosure_required_is_rejected() -> None:
    assert rejection("vp_ldp.json", "pd_limit_disclosure.json") == (
        "input descriptor 'health': limit_disclosure 'required' is not supported (no selective disclosure)"
    )


def test_tampered_vp_proof_is_rejected() -> None:
    assert rejection("vp_tampered_proof.json") == "presentation: signature does not verify"


def test_vp_signed_by_a_key_not_of_the_holder_is_rejected() -> None:
    assert rejection("vp_not_holder_key.json") == (
        f"presentation: verification method {HOLDER_KEY} does not belong to {DIDS['holder']}"
    )


def test_tampered_embedded_vc_is_rejected_although_didkit_accepts_the_vp() -> None:
    assert rejection("vp_tampered_vc.json") == "credential 0: signature does not verify"
    tampered = json.loads(raw("vp_tampered_vc.json"))
    presentation_errors, credential_errors = didkit_errors(
        [
            ("presentation", json.dumps(tampered), {"proofPurpose": "authentication"}),
            ("credential", json.dumps(tampered["verifiableCredential"][0]), {"proofPurpose": "assertionMethod"}),
        ]
    )
    assert presentation_errors == []  # didkit's verify_presentation skips embedded credential proofs
    assert credential_errors == ["signature error"]


def test_didkit_agrees_on_every_fixture_presentation() -> None:
    options = {"proofPurpose": "authentication"}
    errors = didkit_errors(
        [
            ("presentation", raw("vp_ldp.json").decode(), options),
            ("presentation", raw("vp_ldp_minor.json").decode(), options),
            ("presentation", text("vp_jwt.jwt"), {"proofFormat": "jwt"}),
            ("presentation", raw("vp_tampered_proof.json").decode(), options),
        ]
    )
    assert errors == [[], [], [], ["signature error"]]


def _with_schema(*entries: dict[str, object]) -> bytes:
    """pd_adult.json with a PE v1 ``schema`` list on its descriptor (the chain requires one on each)."""
    from tests.oracle.vp.kit import doc

    pd = doc("pd_adult.json")
    for descriptor in pd["input_descriptors"]:
        descriptor["schema"] = list(entries)
    return json.dumps(pd).encode()


HEALTH_IRI = "https://example.org/panacea/HealthCredential"  # what the VC's inline context maps its type to


def test_pe_v1_schema_uris_are_matched_against_the_credential_types() -> None:
    for vp in ("vp_ldp.json", "vp_jwt.jwt"):
        validate(vp, _with_schema({"uri": HEALTH_IRI}))
        validate(vp, _with_schema({"uri": "https://example.org/other"}, {"uri": HEALTH_IRI}))
        validate(vp, _with_schema({"uri": "https://www.w3.org/2018/credentials/v1#VerifiableCredential"}))
        assert rejection(vp, _with_schema({"uri": "https://example.org/other"})) == (
            "input descriptor 'health': the submitted credential matches none of its schema URIs")
        assert rejection(vp, _with_schema({"uri": HEALTH_IRI}, {"uri": "https://example.org/x", "required": True})) == (
            "input descriptor 'health': the submitted credential is not of the required schema 'https://example.org/x'")
    assert rejection("vp_ldp.json", _with_schema({"url": HEALTH_IRI})) == (
        "input descriptor 'health': every schema entry needs a non-empty uri")
