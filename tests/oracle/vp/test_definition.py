import json
from typing import Any

import pytest

from panacea.oracle.vp.definition import compile_definition
from panacea.oracle.vp.errors import VPValidationError
from tests.oracle.vp.kit import raw


def _rejection(definition: Any) -> str:
    with pytest.raises(VPValidationError) as e:
        compile_definition(definition if isinstance(definition, bytes) else json.dumps(definition).encode())
    return str(e.value)


def _with_field(field: Any) -> dict[str, Any]:
    return {"id": "pd", "input_descriptors": [{"id": "health", "constraints": {"fields": [field]}}]}


def test_compiled_once_per_definition() -> None:
    definition = compile_definition(raw("pd_adult.json"))
    assert compile_definition(raw("pd_adult.json")) is definition
    assert (definition.id, [d.id for d in definition.descriptors]) == ("panacea-health-deal", ["health"])
    labels = [field.label for field in definition.descriptors[0].fields]
    assert labels == [f"input descriptor 'health' field {name!r}" for name in ("type", "age", "country")]
    assert [len(field.paths) for field in definition.descriptors[0].fields] == [1, 2, 1]


def test_envelope_form_is_accepted() -> None:
    envelope = {"presentation_definition": json.loads(raw("pd_adult.json"))}
    assert compile_definition(json.dumps(envelope).encode()).id == "panacea-health-deal"


def test_definition_errors() -> None:
    assert _rejection(b"{") == "presentation definition is not valid JSON"
    assert _rejection([]) == "presentation definition must be a JSON object with a non-empty id"
    assert _rejection({"id": ""}) == "presentation definition must be a JSON object with a non-empty id"
    assert _rejection({"id": "pd", "input_descriptors": []}) == (
        "presentation definition: input_descriptors must be a non-empty list"
    )
    assert _rejection({"id": "pd", "submission_requirements": [], "input_descriptors": [{"id": "a"}]}) == (
        "presentation definition: submission_requirements are not supported"
    )
    assert _rejection({"id": "pd", "input_descriptors": [{"id": "a"}, {"id": "a"}]}) == (
        "presentation definition: input descriptor ids must be unique"
    )


def test_descriptor_errors() -> None:
    assert _rejection({"id": "pd", "input_descriptors": [{}]}) == (
        "input descriptor 0 must be a JSON object with a non-empty id"
    )
    assert _rejection({"id": "pd", "input_descriptors": [{"id": "a", "frame": {}}]}) == (
        "input descriptor 'a': 'frame' is not supported"
    )
    assert _rejection({"id": "pd", "input_descriptors": [{"id": "a", "schema": {"uri": "u"}}]}) == (
        "input descriptor 'a': schema must be a list"
    )
    assert _rejection({"id": "pd", "input_descriptors": [{"id": "a", "schema": [{"uri": "u", "required": 1}]}]}) == (
        "input descriptor 'a': schema required must be true or false"
    )
    assert _rejection({"id": "pd", "input_descriptors": [{"id": "a", "constraints": []}]}) == (
        "input descriptor 'a': constraints must be a JSON object"
    )
    assert _rejection({"id": "pd", "input_descriptors": [{"id": "a", "constraints": {"is_holder": []}}]}) == (
        "input descriptor 'a': 'is_holder' is not supported"
    )
    assert _rejection({"id": "pd", "input_descriptors": [{"id": "a", "constraints": {"fields": {}}}]}) == (
        "input descriptor 'a': constraints.fields must be a list"
    )


def test_field_errors() -> None:
    assert _rejection(_with_field(3)) == "input descriptor 'health' field 0: must be a JSON object"
    assert _rejection(_with_field({"path": []})) == "input descriptor 'health' field 0: path must be a non-empty list"
    assert _rejection(_with_field({"id": "age", "path": [""]})) == (
        "input descriptor 'health' field 'age': path must be a non-empty JSONPath string"
    )
    assert _rejection(_with_field({"id": "age", "path": ["$.[["]})) == (
        "input descriptor 'health' field 'age': invalid JSONPath '$.[['"
    )
    assert _rejection(_with_field({"path": ["$.a"], "optional": "yes"})) == (
        "input descriptor 'health' field 0: optional must be true or false"
    )
    assert _rejection(_with_field({"path": ["$.a"], "filter": "integer"})) == (
        "input descriptor 'health' field 0: filter must be a JSON Schema object"
    )
    assert _rejection(_with_field({"path": ["$.a"], "filter": {"type": "nope"}})) == (
        "input descriptor 'health' field 0: filter is not a valid JSON Schema"
    )
    assert _rejection(_with_field({"path": ["$.a"], "filter": {"$ref": "https://example.com/s.json"}})) == (
        "input descriptor 'health' field 0: filter is not a valid JSON Schema"
    )
    assert _rejection(_with_field({"path": ["$.a"], "predicate": "required"})) == (
        "input descriptor 'health' field 0: 'predicate' is not supported"
    )
