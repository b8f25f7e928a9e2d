import json
from typing import Any

import pytest

from panacea.oracle.vp.credentials import VerifiedCredential
from panacea.oracle.vp.definition import compile_definition
from panacea.oracle.vp.errors import VPValidationError
from panacea.oracle.vp.matching import match_definition
from panacea.oracle.vp.presentation import VerifiedPresentation
from tests.oracle.vp.kit import DIDS, doc, raw

SUBJECT = {"id": DIDS["holder"], "age": 30, "country": "KR"}


def _presentation(submission: Any, subject: Any = SUBJECT) -> VerifiedPresentation:
    """A presentation taken as verified (the proofs are tested elsewhere), to exercise matching alone."""
    credential = {"type": ["VerifiableCredential", "HealthCredential"], "credentialSubject": subject}
    document = {"verifiableCredential": [credential], "presentation_submission": submission}
    return VerifiedPresentation(document, {id(credential): VerifiedCredential("ldp_vc", DIDS["issuer"], credential)})


def _submission(**entry: Any) -> dict[str, Any]:
    return {
        "definition_id": "panacea-health-deal",
        "descriptor_map": [{"id": "health", "format": "ldp_vc", "path": "$.verifiableCredential[0]", **entry}],
    }


def _rejection(presentation: VerifiedPresentation, definition: str | dict[str, Any] = "pd_adult.json") -> str:
    pd = raw(definition) if isinstance(definition, str) else json.dumps(definition).encode()
    with pytest.raises(VPValidationError) as e:
        match_definition(compile_definition(pd), presentation)
    return str(e.value)


def test_match() -> None:
    match_definition(compile_definition(raw("pd_adult.json")), _presentation(_submission()))


def test_first_path_that_finds_a_value_wins() -> None:
    definition = doc("pd_adult.json")
    definition["input_descriptors"][0]["constraints"]["fields"][1]["path"] = ["$.missing", "$.credentialSubject.age"]
    match_definition(compile_definition(json.dumps(definition).encode()), _presentation(_submission()))
    assert _rejection(_presentation(_submission(), {**SUBJECT, "age": 17}), definition) == (
        "input descriptor 'health' field 'age': value does not satisfy the filter (17 is less than the minimum of 18)"
    )


def test_one_of_a_paths_values_must_pass_the_filter() -> None:
    definition: dict[str, Any] = {
        "id": "panacea-health-deal",
        "input_descriptors": [
            {
                "id": "health",
                "constraints": {"fields": [{"path": ["$.type[*]"], "filter": {"const": "HealthCredential"}}]},
            }
        ],
    }
    match_definition(compile_definition(json.dumps(definition).encode()), _presentation(_submission()))
    definition["input_descriptors"][0]["constraints"]["fields"][0]["filter"] = {"const": "Other"}
    assert _rejection(_presentation(_submission()), definition) == (
        "input descriptor 'health' field 0: value does not satisfy the filter (\"Other\" was expected)"
    )


def test_enum_filter() -> None:
    assert _rejection(_presentation(_submission(), {**SUBJECT, "country": "FR"})) == (
        "input descriptor 'health' field 'country': value does not satisfy the filter"
        ' ("FR" is not one of "KR" or "US")'
    )


def test_submission_errors() -> None:
    assert _rejection(_presentation(None)) == "presentation has no presentation_submission"
    assert _rejection(_presentation({**_submission(), "definition_id": "other"})) == (
        "presentation_submission answers definition 'other', not 'panacea-health-deal'"
    )
    assert _rejection(_presentation({**_submission(), "descriptor_map": {}})) == (
        "presentation_submission: descriptor_map must be a list"
    )
    assert _rejection(_presentation({**_submission(), "descriptor_map": []})) == (
        "input descriptor 'health' has no matching credential in the presentation"
    )
    assert _rejection(_presentation(_submission(id="other"))) == (
        "descriptor_map entry 0 does not name an input descriptor of the definition"
    )
    assert _rejection(_presentation(_submission(path_nested={}))) == (
        "descriptor_map entry 0: path_nested is not supported"
    )


def test_entry_must_select_a_verified_credential_of_its_format() -> None:
    assert _rejection(_presentation(_submission(path="$.verifiableCredential[1]"))) == (
        "descriptor_map entry 'health': path '$.verifiableCredential[1]'"
        " does not select one credential of the presentation"
    )
    assert _rejection(_presentation(_submission(path="$.presentation_submission"))) == (
        "descriptor_map entry 'health': path '$.presentation_submission'"
        " does not select one credential of the presentation"
    )
    assert _rejection(_presentation(_submission(path="$.verifiableCredential[*].."))) == (
        "descriptor_map entry 'health': invalid JSONPath '$.verifiableCredential[*]..'"
    )
    assert _rejection(_presentation(_submission(format="jwt_vc"))) == (
        "descriptor_map entry 'health': format 'jwt_vc' does not match the credential (ldp_vc)"
    )
