import json

import pytest

from panacea.oracle.vp.dids import MethodResolver
from panacea.oracle.vp.errors import VPValidationError
from panacea.oracle.vp.presentation import verify_presentation
from tests.oracle.vp.kit import DIDS, NOW, doc, kid, raw, rejection, run, sign_jwt, validate

HEADER = {"alg": "ES256K", "kid": kid("holder")}
VP = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiablePresentation"]}


def _rejection(vp_bytes: bytes) -> str:
    with pytest.raises(VPValidationError) as e:
        run(verify_presentation(vp_bytes, MethodResolver(), NOW))
    return str(e.value)


def test_every_credential_is_verified_and_kept_by_identity() -> None:
    presentation = run(verify_presentation(raw("vp_ldp.json"), MethodResolver(), NOW))
    (credential,) = presentation.document["verifiableCredential"]
    assert presentation.credentials[id(credential)].issuer == DIDS["issuer"]
    presentation = run(verify_presentation(raw("vp_jwt.jwt"), MethodResolver(), NOW))
    (token,) = presentation.document["verifiableCredential"]
    assert isinstance(token, str) and token.count(".") == 2
    assert presentation.credentials[id(token)].format == "jwt_vc"


def test_input_forms() -> None:
    assert _rejection(b"[1]") == "presentation must be a JSON object or a JWT"
    assert _rejection(b"not json") == "presentation must be a JSON object or a JWT"
    assert _rejection(b"eyJ") == "presentation: JWT must have 3 dot-separated parts, got 1"


def test_ldp_presentation_shape() -> None:
    vp = doc("vp_ldp.json")
    del vp["holder"]
    assert _rejection(json.dumps(vp).encode()) == "presentation has no holder DID"
    assert (
        _rejection(json.dumps({**vp, "type": "X"}).encode()) == "presentation: type must include VerifiablePresentation"
    )
    vp = doc("vp_ldp.json")
    vp.pop("proof")
    assert rejection(vp) == "presentation has no proof"


def test_jwt_presentation_binding() -> None:
    token = sign_jwt(HEADER, {"iss": DIDS["holder"]}, "holder")
    assert _rejection(token.encode()) == "presentation: JWT has no vp claim"
    token = sign_jwt(HEADER, {"iss": DIDS["holder"], "vp": {**VP, "holder": DIDS["attacker"]}}, "holder")
    assert _rejection(token.encode()) == "presentation: vp holder differs from the JWT iss"
    presentation = run(
        verify_presentation(
            sign_jwt(HEADER, {"iss": DIDS["holder"], "vp": VP}, "holder").encode(), MethodResolver(), NOW
        )
    )
    assert presentation.document == {**VP, "holder": DIDS["holder"]}
    assert presentation.credentials == {}


def test_single_credential_object_is_accepted() -> None:
    token = sign_jwt(HEADER, {"iss": DIDS["holder"], "vp": {**VP, "verifiableCredential": 3}}, "holder")
    assert _rejection(token.encode()) == "credential 0: must be a JSON object or a JWT string"


def test_an_enveloped_vp_jwt_is_a_json_datum() -> None:
    from panacea.crypto.jcs import data_hash
    from panacea.oracle.vp.presentation import envelope

    token = raw("vp_jwt.jwt").decode().strip()
    wrapped = json.dumps(envelope(token)).encode()
    assert json.loads(wrapped) == {"@context": ["https://www.w3.org/ns/credentials/v2"],
                                   "type": "EnvelopedVerifiablePresentation", "id": f"data:application/vp+jwt,{token}"}
    assert len(data_hash(wrapped)) == 64  # hashable by ValidateData step 7 (a bare JWT is not)
    presentation = run(verify_presentation(wrapped, MethodResolver(), NOW))
    (credential,) = presentation.document["verifiableCredential"]
    assert presentation.credentials[id(credential)].format == "jwt_vc"
    validate(wrapped)  # and it meets the definition like the bare JWT
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert _rejection(json.dumps(envelope(tampered)).encode()).startswith("presentation: ")
    for bad, message in (
        ({**envelope(token), "holder": DIDS["holder"]},
         "presentation: an EnvelopedVerifiablePresentation holds only @context, type and id (got 'holder')"),
        ({**envelope(token), "id": token},
         "presentation: an EnvelopedVerifiablePresentation id must be data:application/vp+jwt,<VP-JWT>"),
        ({**envelope(token), "id": "data:application/vp+jwt,"},
         "presentation: an EnvelopedVerifiablePresentation id must be data:application/vp+jwt,<VP-JWT>"),
        ({"type": ["EnvelopedVerifiablePresentation"], "id": 3},
         "presentation: an EnvelopedVerifiablePresentation id must be data:application/vp+jwt,<VP-JWT>"),
    ):
        assert _rejection(json.dumps(bad).encode()) == message
